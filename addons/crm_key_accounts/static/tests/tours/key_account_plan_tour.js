/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_key_accounts_plan_with_objective", {
    steps: () => [
        {
            content: "Create a key-account plan",
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            content: "For Harbour Office Group",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Harbour Office",
        },
        {
            content: "Pick the customer",
            trigger: ".o-autocomplete--dropdown-item a:contains('Harbour Office Group')",
            run: "click",
        },
        {
            content: "Add an objective",
            trigger: ".o_field_widget[name='objective_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name='objective_ids'] .o_data_row .o_field_widget[name='name'] input",
            run: "edit Double the fit-out revenue",
        },
        {
            content: "Measured on revenue",
            trigger: ".o_field_widget[name='objective_ids'] .o_data_row .o_field_widget[name='measure'] select",
            run: "selectByLabel Revenue",
        },
        {
            content: "Target",
            trigger: ".o_field_widget[name='objective_ids'] .o_data_row .o_field_widget[name='target'] input",
            run: "edit 90000",
        },
        {
            content: "Save the plan",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The plan is saved with its objective",
            trigger:
                ".o_form_saved .o_field_widget[name='objective_ids'] .o_data_row td[name='name']:contains('Double the fit-out revenue')",
        },
    ],
});
