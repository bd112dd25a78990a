"""Votes: up, down, or withdrawn, on a comment the reader may see."""

from django.http import HttpResponse
from ninja import Router

from rostra.discussion import services
from rostra.discussion.api.access import comment_named, require_csrf
from rostra.discussion.api.schemas import VoteIn, VoteOut, refusals
from rostra.discussion.identity import remember_guest, viewer_from_request
from rostra.discussion.policy import policy_for_request

router = Router()


@router.post(
    "/comments/{comment_id}/vote",
    response={200: VoteOut, **refusals(400, 403, 404, 422)},
    tags=["votes"],
    summary="Vote up, down, or withdraw",
)
def vote_comment(request, comment_id: int, payload: VoteIn, response: HttpResponse):
    require_csrf(request)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request, create_guest=True)
    comment = services.comment_vote(
        comment=comment_named(request, comment_id),
        viewer=viewer,
        policy=policy,
        value=payload.value,
    )
    remember_guest(response, viewer)
    return {
        "id": comment.pk,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "score": comment.score,
        "my_vote": payload.value,
    }
