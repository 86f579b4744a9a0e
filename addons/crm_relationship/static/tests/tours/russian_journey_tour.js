/** @odoo-module **/

import { registry } from "@web/core/registry";

// A Russian-speaking user's dossier: the page is in Russian and the relationship part is shown.
registry.category("web_tour.tours").add("crm_relationship_dossier_in_russian", {
    steps: () => [
        {
            content: "The web client speaks Russian",
            trigger: "html[lang^='ru']",
        },
        {
            content: "The dossier shows the customer's lifecycle stage",
            trigger: ".o_form_view .o_field_widget[name='lifecycle_stage']",
        },
        {
            content: "and the strategy",
            trigger: ".o_form_view .o_field_widget[name='relationship_strategy_id']",
        },
    ],
});
