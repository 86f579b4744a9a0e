/** @odoo-module **/

import { registry } from "@web/core/registry";

// The team and complaints the test prepares next to the demo data (see test_sla_compliance_tour.py):
// this month two resolved complaints, one on time; two months ago one, on time; the team aims at 90 %.
const TEAM = "Tour SLA desk";
const MEASURES = ["Resolved Complaints", "On Time (%)", "Target (%)"];
const { DateTime } = luxon;
const month = (monthsAgo) => DateTime.now().minus({ months: monthsAgo }).startOf("month").toFormat("MMMM yyyy");

function teamRow() {
    const rows = [...document.querySelectorAll(".o_pivot tbody tr")];
    const row = rows.find((tr) => tr.querySelector("th")?.textContent.trim() === TEAM);
    if (!row) {
        throw new Error(`No pivot row for ${TEAM}`);
    }
    return [...row.querySelectorAll("td")].map((td) => td.textContent.trim());
}

function expectCells(expected) {
    const cells = teamRow();
    // the last three cells are the Total column: Resolved Complaints, On Time (%), Target (%)
    const total = cells.slice(-3);
    if (JSON.stringify(total) !== JSON.stringify(expected)) {
        throw new Error(`${TEAM}: expected ${expected}, the pivot shows ${total}`);
    }
}

registry.category("web_tour.tours").add("crm_quality_sla_compliance_screen", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Quality app",
            trigger: ".o_app[data-menu-xmlid='crm_quality_feedback.menu_quality_feedback_root']",
            run: "click",
        },
        {
            content: "Quality > Reporting",
            trigger: ".o_main_navbar [data-menu-xmlid='crm_quality_feedback.menu_quality_reporting']",
            run: "click",
        },
        {
            content: "Reporting > SLA Compliance",
            trigger: "[data-menu-xmlid='crm_quality_feedback.menu_quality_sla_compliance']",
            run: "click",
        },
        {
            content: "SLA Compliance opens as a pivot of the complaints received this month",
            trigger: ".o_control_panel:has(.o_breadcrumb:contains('SLA Compliance')) .o_searchview_facet:contains('Received')",
        },
        {
            content: "Its measures: Resolved Complaints, On Time (%), Target (%)",
            trigger: `.o_pivot thead${MEASURES.map((m) => `:has(th.o_pivot_measure_row:contains('${m}'))`).join("")}`,
        },
        {
            content: "Months in columns: this month's",
            trigger: `.o_pivot thead th.o_pivot_header_cell_closed:contains('${month(0)}')`,
        },
        {
            content: "Teams in rows: the team the test prepared",
            trigger: `.o_pivot tbody th.o_pivot_header_cell_closed:contains('${TEAM}')`,
        },
        {
            content: "This month: 2 resolved, half on time, against the team's 90 %",
            trigger: ".o_pivot tbody",
            run: () => expectCells(["2", "50.0", "90.0"]),
        },
        {
            content: "Every month: remove the period",
            trigger: ".o_searchview_facet:contains('Received') .o_facet_remove",
            run: "click",
        },
        {
            content: "The month of the older complaint appears beside this month",
            trigger:
                `.o_pivot thead:has(th.o_pivot_header_cell_closed:contains('${month(2)}'))` +
                `:has(th.o_pivot_header_cell_closed:contains('${month(0)}'))`,
        },
        {
            content: "Over every month: 3 resolved, two on time",
            trigger: `.o_pivot tbody th:contains('${TEAM}')`,
            run: () => expectCells(["3", "66.7", "90.0"]),
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph draws the real complaints, not a sample",
            trigger: "body:not(:has(.o_view_sample_data)) .o_graph_renderer .o_graph_canvas_container canvas",
        },
        {
            content: "A line over the months",
            trigger: ".o_graph_view .o_graph_button.active[data-mode='line']",
        },
        {
            content: "Open the measures",
            trigger: ".o_graph_view button:contains('Measures')",
            run: "click",
        },
        {
            content: "The graph shows On Time (%)",
            trigger: ".o-dropdown--menu .o_menu_item.selected:contains('On Time (%)')",
        },
        {
            content: "Close the measures",
            trigger: ".o_graph_view button:contains('Measures')",
            run: "click",
        },
        {
            content: "The measures are closed; the chart has finished drawing its line",
            trigger: "body:not(:has(.o-dropdown--menu)) .o_graph_canvas_container canvas",
            run: () => new Promise((resolve) => setTimeout(resolve, 1000)),
        },
    ],
});
