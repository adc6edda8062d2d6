"""URL entries of the IR pages, included by the web portal's urls under the ``web`` namespace.
They must come before the complaint record's generic tab route."""

from django.urls import path

from . import actions, pages

_BASE = "complaints/<str:ref>/information-requests/"

urlpatterns = [
    path(_BASE, pages.ir_tab, name="ir_tab"),
    path(f"{_BASE}new/", pages.ir_new, name="ir_new"),
    path(f"{_BASE}selection/", pages.ir_selection, name="ir_selection"),
    path(f"{_BASE}send/", pages.ir_send, name="ir_send"),
    path(f"{_BASE}comment/", pages.ir_comment, name="ir_comment"),
    path(f"{_BASE}<str:ir_ref>/", actions.ir_detail, name="ir_detail"),
    path(f"{_BASE}<str:ir_ref>/extend/", actions.ir_extend, name="ir_extend"),
    path(f"{_BASE}<str:ir_ref>/cancel/", actions.ir_cancel, name="ir_cancel"),
    path(f"{_BASE}<str:ir_ref>/remind/", actions.ir_remind, name="ir_remind"),
    path(f"{_BASE}<str:ir_ref>/quick-look/", actions.ir_quick_look, name="ir_quick_look"),
    path(f"{_BASE}<str:ir_ref>/send-back/", actions.ir_send_back, name="ir_send_back"),
    path(f"{_BASE}<str:ir_ref>/decline-send-back/", actions.ir_decline_send_back, name="ir_decline_send_back"),
]
