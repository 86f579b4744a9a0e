/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_key_accounts_attainment_pivot", {
    steps: () => [
        {
            content: "Attainment opens as a pivot of the plans",
            trigger: ".o_pivot th.o_pivot_measure_row:contains('Attainment (%)')",
        },
        {
            content: "One row per key-account manager",
            trigger: ".o_pivot tbody tr:not(:first-child) th.o_pivot_header_cell_opened",
        },
        {
            content: "Within it, one row per customer",
            trigger: ".o_pivot tbody th.o_pivot_header_cell_closed",
        },
    ],
});
