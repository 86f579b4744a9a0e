/** @odoo-module **/

import { registry } from "@web/core/registry";

// A portal user of a customer in Shanghai opens his complaint (see test_portal_complaint_deadline_tour.py).
registry.category("web_tour.tours").add("crm_quality_portal_complaint_deadline", {
    steps: () => [
        {
            content: "The complaint's card on the ticket page",
            trigger: ".o_portal_complaint h5:contains('Complaint')",
        },
        {
            content: "It says when our answer is due",
            trigger: ".o_portal_complaint:contains('Our answer is due by') .o_complaint_deadline",
        },
        {
            content: "... in the customer's time zone, named",
            trigger: ".o_portal_complaint p:contains('(Asia/Shanghai)')",
        },
        {
            content: "... to the minute, without seconds",
            trigger: ".o_portal_complaint .o_complaint_deadline",
            run: function () {
                const shown = this.anchor.textContent.trim();
                if (!/\d{1,2}:\d{2}/.test(shown) || /\d{1,2}:\d{2}:\d{2}/.test(shown)) {
                    throw new Error(`The deadline should show hours and minutes only: "${shown}"`);
                }
            },
        },
    ],
});
