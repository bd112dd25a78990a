"""Editor's picks through the API: staff feature a comment and pin it (the same services
as the admin; the permission is checked there)."""

from ninja import Router

from rostra.discussion import services
from rostra.discussion.api.access import comment_named, require_csrf
from rostra.discussion.api.schemas import PickIn, PickOut, refusals
from rostra.discussion.identity import Viewer, staff_viewer

router = Router()


@router.post(
    "/comments/{comment_id}/pick",
    response={200: PickOut, **refusals(400, 403, 404, 422)},
    tags=["comments"],
    summary="Feature or pin a comment (staff)",
)
def pick_comment(request, comment_id: int, payload: PickIn):
    """`picked`: an editor's pick or not; `pinned`: first in every order (one per
    thread) or not; a field left out stays as it is."""
    require_csrf(request)
    comment = comment_named(request, comment_id)
    # A reader (or nobody) holds no permission: the service refuses them with 403.
    user = request.user
    viewer = staff_viewer(user) if user.is_authenticated else Viewer(key="")
    if payload.picked is not None:
        services.comment_pick(comment=comment, viewer=viewer, picked=payload.picked)
    thread = comment.thread
    if payload.pinned is not None:
        thread = services.comment_pin(comment=comment, viewer=viewer, pinned=payload.pinned)
    return {
        "id": comment.pk,
        "is_pick": comment.picked_at is not None,
        "is_pinned": thread.pinned_comment_id == comment.pk,
    }
