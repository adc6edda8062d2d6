"""Forms of the agency's complaint-category page: they parse input; the category services decide."""

from __future__ import annotations

from django import forms


class CategoryAddForm(forms.Form):
    name = forms.CharField(
        label="New category",
        max_length=200,
        help_text="For example “Mortgage — Trouble during payment process”.",
        error_messages={"required": "Enter the category name."},
    )


class CategoryRenameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the category name."})
    version = forms.IntegerField(widget=forms.HiddenInput)


class CategoryActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "Activate"), ("0", "Deactivate")], coerce=lambda v: v == "1")
    version = forms.IntegerField(widget=forms.HiddenInput)
