"""Editor features of the article body; publishing's part of `rostra setup` and backups."""

from django.utils.translation import gettext_lazy as _
from draftjs_exporter.dom import DOM
from wagtail import hooks
from wagtail.admin.rich_text.converters.html_to_contentstate import InlineEntityElementHandler
from wagtail.admin.rich_text.editors.draftail import features as draftail_features

from rostra.core import page_frames
from rostra.core.page_cache import PAGE_VERSION_HOOK
from rostra.publishing.models import ArticlePage
from rostra.publishing.selectors import published_content_queries
from rostra.publishing.services import home_page_ensure
from rostra.publishing.templatetags.publishing_tags import account_links_html

QUESTION_FEATURE = "question"


def question_entity_decorator(props):
    """Draftail → stored HTML: the passage, carrying its question and a stable id."""
    return DOM.create_element(
        "span",
        {"data-question-id": props.get("id", ""), "data-question": props.get("question", "")},
        props["children"],
    )


class QuestionElementHandler(InlineEntityElementHandler):
    """Stored HTML → Draftail: keep the id, so edits around the passage keep its anchor."""

    mutability = "MUTABLE"

    def get_attribute_data(self, attrs):
        return {"id": attrs.get("data-question-id", ""), "question": attrs.get("data-question", "")}


@hooks.register("register_rich_text_features")
def register_question_feature(features):
    """“Ask readers”: mark a passage and attach a question readers answer at the passage."""
    features.register_editor_plugin(
        "draftail",
        QUESTION_FEATURE,
        draftail_features.EntityFeature(
            {
                "type": "QUESTION",
                "icon": "help",
                "description": _("Ask readers a question about this passage"),
            },
            js=["publishing/question-entity.js"],
            css={"all": ["publishing/question-entity.css"]},
        ),
    )
    features.register_converter_rule(
        "contentstate",
        QUESTION_FEATURE,
        {
            "from_database_format": {"span[data-question-id]": QuestionElementHandler("QUESTION")},
            "to_database_format": {"entity_decorators": {"QUESTION": question_entity_decorator}},
        },
    )


hooks.register("rostra_setup", home_page_ensure)


@hooks.register("rostra_backup_counts")
def backup_counts():
    return [("articles", ArticlePage)]


@hooks.register(PAGE_VERSION_HOOK)
def published_content_version(page):
    """Every page shows the site's menus and lists: any publish, unpublish, move or
    settings change (all logged by Wagtail) gives every page a new validator."""
    return published_content_queries()


page_frames.register("account")(account_links_html)
