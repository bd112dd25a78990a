from django import template

from rostra.discussion import section_frames

register = template.Library()


class ReaderPartNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        return section_frames.reader_part(
            self.name, html, marking=bool(context.get("reader_parts"))
        )


@register.tag
def reader_part(parser, token):
    """`{% reader_part "name" %}…{% end_reader_part %}`: what one signed-in reader sees
    of their own in the comment section, marked while the section every signed-in
    reader shares is rendered (rostra.discussion.section_frames)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("reader_part takes one quoted name")
    nodelist = parser.parse(("end_reader_part",))
    parser.delete_first_token()
    return ReaderPartNode(bits[1][1:-1], nodelist)
