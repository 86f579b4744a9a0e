/** @odoo-module **/

import { registry } from "@web/core/registry";

// The complaints the test prepares next to the demo data (see test_complaint_screens.py).
const OVERDUE = "Tour: chairs past their first deadline";
const DUE_TODAY = "Tour: answer due later today";
const COLUMNS = [
    "complaint_number",
    "commercial_partner_id",
    "name",
    "complaint_step",
    "severity",
    "user_id",
    "first_deadline",
    "complaint_sla_status",
];

const openComplaints = () => [
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
        content: "Quality > Complaints",
        trigger: ".o_main_navbar [data-menu-xmlid='crm_quality_feedback.menu_quality_complaints']",
        run: "click",
    },
    {
        content: "The open complaints are listed first",
        trigger: ".o_searchview_facet:contains('Open Complaints')",
    },
];

const applyFilter = (label) => [
    {
        content: "Open the filters",
        trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
        run: "click",
    },
    {
        content: `Filter ${label}`,
        trigger: `.o_filter_menu .o_menu_item:contains('${label}')`,
        run: "click",
    },
    {
        content: `The filter ${label} applies`,
        trigger: `.o_searchview_facet:contains('${label}')`,
    },
    {
        content: "Close the filters",
        trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
        run: "click",
    },
    {
        content: "The filters are closed",
        trigger: "body:not(:has(.o_filter_menu))",
    },
];

const row = (subject) => `.o_data_row:has(td[name='name']:contains('${subject}'))`;

registry.category("web_tour.tours").add("crm_quality_complaint_list_screen", {
    steps: () => [
        ...openComplaints(),
        {
            content: "The list shows number, customer, subject, step, severity, owner, first deadline, SLA",
            trigger: `.o_list_renderer${COLUMNS.map((name) => `:has(th[data-name='${name}'])`).join("")}`,
        },
        {
            content: "An overdue first deadline is red",
            trigger: `${row(OVERDUE)} td[name='first_deadline'].text-danger`,
        },
        {
            content: "... and its SLA outcome says Overdue",
            trigger: `${row(OVERDUE)} td[name='complaint_sla_status']:contains('Overdue')`,
        },
        {
            content: "A first deadline later today is orange",
            trigger: `${row(DUE_TODAY)} td[name='first_deadline'].text-warning`,
        },
        {
            content: "... and its SLA outcome says Due today",
            trigger: `${row(DUE_TODAY)} td[name='complaint_sla_status']:contains('Due today')`,
        },
        {
            content: "The activity view of the complaints",
            trigger: ".o_switch_view.o_activity",
            run: "click",
        },
        {
            content: "It lists the complaints with their activities",
            trigger: `.o_activity_view .o_activity_record:contains('${OVERDUE}')`,
        },
        {
            content: "Back to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list again",
            trigger: `.o_list_view ${row(DUE_TODAY)}`,
        },
    ],
});

registry.category("web_tour.tours").add("crm_quality_complaint_kanban_screen", {
    steps: () => [
        ...openComplaints(),
        {
            content: "Switch to the kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "One column per ISO 10002 step, Received first, Closed last, even when empty",
            trigger:
                ".o_kanban_renderer:has(.o_kanban_group:first-child .o_column_title:contains('Received'))" +
                ":has(.o_kanban_group:last-child .o_column_title:contains('Closed'))",
        },
        {
            content: "The due-today complaint is on the board",
            trigger: `.o_kanban_record:contains('${DUE_TODAY}')`,
        },
        ...applyFilter("Overdue"),
        {
            content: "The overdue complaint stays, in its step's column, its deadline in red",
            trigger: `.o_kanban_group:has(.o_column_title:contains('Acknowledged')) .o_kanban_record:contains('${OVERDUE}') .o_field_widget[name='first_deadline'].text-danger`,
        },
        {
            content: "Only overdue complaints remain",
            trigger:
                `.o_kanban_renderer:not(:has(.o_kanban_record:contains('${DUE_TODAY}')))` +
                ":not(:has(.o_kanban_record:not(.o_kanban_ghost):not(:has(.o_field_widget[name='complaint_sla_status']:contains('Overdue')))))",
        },
    ],
});
