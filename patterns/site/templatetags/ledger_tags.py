import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def pretty_json(value):
    """JSON as people read it (indented); escaped like any other text in the template."""
    return json.dumps(value, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
