"""Forms of the Non-NMLS entity pages: finding entities and posting to an entity's discussion.
They only parse input; the discussion service decides what a post may hold."""

from __future__ import annotations

from django import forms

from redress.complaints.constants import DISCUSSION_POST_MAX_LENGTH
from redress.complaints.non_nmls_discussion import MAX_QUERY_LENGTH


class EntitySearchForm(forms.Form):
    q = forms.CharField(
        label="Name or Entity Tracking Number",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text="Every word must be part of the name, or enter all or part of an Entity Tracking Number.",
    )


class DiscussionPostForm(forms.Form):
    text = forms.CharField(
        label="Your post",
        max_length=DISCUSSION_POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Complaints staff of every agency read this discussion. Say what you know about the entity; "
            f"up to {DISCUSSION_POST_MAX_LENGTH:,} characters."
        ),
        error_messages={
            "required": "Enter the text of your post.",
            "max_length": f"Keep the post to {DISCUSSION_POST_MAX_LENGTH:,} characters or fewer.",
        },
    )
