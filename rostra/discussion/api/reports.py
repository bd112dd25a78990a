"""Reports: a reader asks a moderator to look at a comment they can see."""

from django.http import HttpResponse
from ninja import Router, Status

from rostra.discussion import services
from rostra.discussion.api.access import comment_named, require_csrf
from rostra.discussion.api.schemas import ErrorOut, ReportIn, ReportOut, refusals
from rostra.discussion.identity import remember_guest, viewer_from_request
from rostra.discussion.policy import policy_for_request

router = Router()


@router.post(
    "/comments/{comment_id}/reports",
    response={201: ReportOut, 409: ErrorOut, **refusals(400, 403, 404, 422, 429)},
    tags=["reports"],
    summary="Report a comment",
)
def report_comment(request, comment_id: int, payload: ReportIn, response: HttpResponse):
    """One report per reader and comment: a second one changes nothing and answers 409.
    A report of illegal content needs `explanation` and `email`."""
    require_csrf(request)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request, create_guest=True)
    outcome = services.comment_report(
        comment=comment_named(request, comment_id),
        viewer=viewer,
        policy=policy,
        reason=payload.reason,
        note=payload.note,
        explanation=payload.explanation,
        email=payload.email,
    )
    remember_guest(response, viewer)
    if not outcome.created:
        return Status(409, {"error": outcome.message, "field": ""})
    report = outcome.report
    return Status(
        201,
        {
            "id": report.pk,
            "comment": report.comment_id,
            "reason": report.reason,
            "message": outcome.message,
        },
    )
