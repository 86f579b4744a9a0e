/** @odoo-module **/

import { registry } from "@web/core/registry";

// A Russian-speaking user's dossier: our tab, labels and values read in Russian.
registry.category("web_tour.tours").add("crm_relationship_dossier_in_russian", {
    steps: () => [
        {
            content: "The relationship tab is named in Russian",
            trigger: ".o_notebook a[name='crm_relationship_dossier']:contains('Взаимоотношения')",
            run: "click",
        },
        {
            content: "The lifecycle stage is labelled in Russian",
            trigger: ".o_form_view .o_form_label:contains('Этап жизненного цикла')",
        },
        {
            content: "and the strategy is shown",
            trigger: ".o_form_view .o_field_widget[name='relationship_strategy_id']",
        },
    ],
});
