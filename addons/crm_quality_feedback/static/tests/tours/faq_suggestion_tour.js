/** @odoo-module **/

import { registry } from "@web/core/registry";

// A portal customer writes a complaint, is shown an FAQ answer, and files it anyway
// (see test_faq_journeys.py).
registry.category("web_tour.tours").add("crm_quality_portal_faq_then_complaint", {
    steps: () => [
        {
            content: "Subject: the chair's height lever",
            trigger: "input[name='subject']",
            run: "edit Tour: the chair height lever is stuck",
        },
        {
            content: "The form suggests the published answer on chair heights",
            trigger: ".o_crm_faq_suggestions:not(.d-none) a.o_crm_faq_suggestion:contains('How do I adjust the chair height?')",
        },
        {
            content: "... and nothing under review",
            trigger: ".o_crm_faq_suggestions:not(:contains('Chair height for tall people'))",
        },
        {
            content: "Not the answer: the customer describes his problem",
            trigger: "textarea[name='description']",
            run: "edit The lever moves but the seat stays down.",
        },
        {
            content: "It is a complaint",
            trigger: "input[name='is_complaint']",
            run: "click",
        },
        {
            content: "Why the customer contacts us",
            trigger: "select[name='contact_reason']",
            run: "select problem",
        },
        {
            content: "Submit",
            trigger: "button[type='submit']:contains('Submit')",
            run: "click",
        },
        {
            content: "The complaint is filed: the customer follows it on its page",
            trigger: ".o_portal_complaint:contains('Complaint'):contains('Received')",
        },
    ],
});
