"""Render any Django form field (ours or allauth's) with USWDS markup and linked error/hint ids."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField, CheckboxInput, HiddenInput, RadioSelect, Select, SelectMultiple, Textarea
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {
    "checkbox": "usa-checkbox__input",
    "select": "usa-select",
    "textarea": "usa-textarea",
    "input": "usa-input",
}


def _kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, HiddenInput):
        return "hidden"
    if isinstance(widget, CheckboxInput):
        return "checkbox"
    if isinstance(widget, RadioSelect):
        return "radio"
    if isinstance(widget, Select | SelectMultiple):
        return "select"
    if isinstance(widget, Textarea):
        return "textarea"
    return "input"


@register.simple_tag
def uswds_field(field: BoundField, label: str = "", hint: str = "", **attrs: Any) -> SafeString:
    kind = _kind(field)
    if kind == "hidden":
        return SafeString(str(field))
    hint = hint or str(field.help_text or "")
    hint_id = f"{field.auto_id}-hint"
    error_id = f"{field.auto_id}-error"
    described = [i for i, present in ((hint_id, bool(hint)), (error_id, bool(field.errors))) if present]
    widget_attrs: dict[str, Any] = dict(attrs)
    if kind != "radio":
        css = [field.field.widget.attrs.get("class", ""), _CLASSES[kind]]
        if field.errors and kind in ("input", "select", "textarea"):
            css.append("usa-input--error")
        widget_attrs["class"] = " ".join(c for c in css if c)
    if described:
        widget_attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        widget_attrs["aria-invalid"] = "true"
    return SafeString(
        render_to_string(
            "web/account/_field.html",
            {
                "field": field,
                "kind": kind,
                "label": label or field.label,
                "hint": hint,
                "hint_id": hint_id,
                "error_id": error_id,
                "widget": field.as_widget(attrs=widget_attrs),
                "required": field.field.required and kind != "checkbox",
            },
        )
    )


@register.inclusion_tag("web/account/_form_errors.html")
def uswds_error_summary(form: Any) -> dict[str, Any]:
    items: list[dict[str, str]] = []
    if form is not None and form.errors:
        for error in form.non_field_errors():
            items.append({"text": str(error), "href": ""})
        for field in form:
            for error in field.errors:
                target = f"{field.auto_id}_0" if _kind(field) == "radio" else field.id_for_label or field.auto_id
                items.append({"text": f"{field.label}: {error}", "href": f"#{target}"})
    return {"error_items": items}
