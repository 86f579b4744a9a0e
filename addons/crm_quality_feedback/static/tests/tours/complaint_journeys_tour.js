/** @odoo-module **/

import { registry } from "@web/core/registry";

const currentStep = (label) => ({
    content: `The complaint is at step ${label}`,
    trigger: `.o_field_widget[name='complaint_step'] button.o_arrow_button_current:contains('${label}')`,
});

registry.category("web_tour.tours").add("crm_quality_complaint_receipt_to_closure", {
    steps: () => [
        currentStep("Received"),
        {
            content: "Open the complaint's page",
            trigger: ".o_notebook_headers a.nav-link:contains('Complaint')",
            run: "click",
        },
        {
            content: "Acknowledge it: the customer gets the acknowledgement mail",
            trigger: "button[name='action_acknowledge']",
            run: "click",
        },
        currentStep("Acknowledged"),
        {
            content: "Severity",
            trigger: ".o_field_widget[name='severity'] select",
            run: "selectByLabel Medium",
        },
        {
            content: "Complexity",
            trigger: ".o_field_widget[name='complexity'] select",
            run: "selectByLabel Simple",
        },
        {
            content: "Assessed",
            trigger: "button[name='action_assess']",
            run: "click",
        },
        currentStep("Assessed"),
        {
            content: "Investigated",
            trigger: "button[name='action_investigate']",
            run: "click",
        },
        currentStep("Investigated"),
        {
            content: "The remedy offered",
            trigger: ".o_field_widget[name='remedy_offered'] textarea",
            run: "edit Corrected delivery note sent and the missing chairs delivered tomorrow.",
        },
        {
            content: "Resolve: a follow-up call is planned for the next working day",
            trigger: "button[name='action_resolve']",
            run: "click",
        },
        currentStep("Resolved"),
        {
            content: "Open the complaint again, as the owner does the next working day",
            trigger: ".o-mail-Chatter",
            run() {
                window.location.reload();
            },
        },
        {
            content: "The follow-up call is done",
            trigger: ".o-mail-Activity:contains('is the complaint resolved') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Confirm it",
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
            run: "click",
        },
        currentStep("Followed up"),
        {
            content: "Back to the complaint's page",
            trigger: ".o_notebook_headers a.nav-link:contains('Complaint')",
            run: "click",
        },
        {
            content: "The customer is satisfied: the complaint closes",
            trigger: "button[name='action_answer_satisfied']",
            run: "click",
        },
        currentStep("Closed"),
    ],
});

registry.category("web_tour.tours").add("crm_quality_portal_files_complaint", {
    steps: () => [
        {
            content: "Subject",
            trigger: "input[name='subject']",
            run: "edit Tour: chairs delivered in the wrong colour",
        },
        {
            content: "What happened",
            trigger: "textarea[name='description']",
            run: "edit Six chairs arrived blue instead of green.",
        },
        {
            content: "It is a complaint",
            trigger: "input[name='is_complaint']",
            run: "click",
        },
        {
            content: "Why the customer contacts us",
            trigger: "select[name='contact_reason']",
            run: "select remedy",
        },
        {
            content: "What would put it right",
            trigger: "textarea[name='remedy_sought']",
            run: "edit Exchange them this week.",
        },
        {
            content: "Submit",
            trigger: "button[type='submit']:contains('Submit')",
            run: "click",
        },
        {
            content: "The customer follows the complaint on its page",
            trigger: ".o_portal_complaint:contains('Complaint'):contains('Received')",
        },
    ],
});
