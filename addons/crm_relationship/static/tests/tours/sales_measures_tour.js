/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_relationship_sales_measures", {
    steps: () => [
        {
            content: "The sales measures open as a pivot of this year, one row per salesperson",
            trigger: ".o_pivot_view .o_searchview_facet:contains('Date')",
        },
        {
            content: "Revenue and retention stand beside the inquiry and offer measures",
            trigger: ".o_pivot th.o_pivot_measure_row:contains('Retention (%)')",
        },
        {
            content: "The demo's salesperson has a row",
            trigger: ".o_pivot tbody th.o_pivot_header_cell_closed:contains('Mitchell Admin')",
        },
    ],
});
