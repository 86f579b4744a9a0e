/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_relationship_assign_strategy_from_dossier", {
    steps: () => [
        {
            content: "Open the customer's Relationship tab",
            trigger: ".o_notebook_headers a.nav-link:contains('Relationship')",
            run: "click",
        },
        {
            content: "Assign a strategy from the dossier",
            trigger: "button[name='action_assign_strategy']",
            run: "click",
        },
        {
            content: "Choose Protect",
            trigger: ".modal .o_field_widget[name='strategy_id'] input",
            run: "edit Protect",
        },
        {
            content: "Pick it from the list",
            trigger: ".modal .o-autocomplete--dropdown-item a:contains('Protect')",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Competitors court this customer: protect the account.",
        },
        {
            content: "Assign",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The dossier shows the strategy, its reason and who set it",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_field_widget[name='relationship_strategy_reason'] textarea:value(/protect the account/)",
        },
        {
            content: "The salesperson who set it is shown",
            trigger: ".o_field_widget[name='relationship_strategy_user_id']:visible",
        },
    ],
});

registry.category("web_tour.tours").add("crm_relationship_run_analysis_open_customer", {
    steps: () => [
        {
            content: "Run the analysis with the default settings",
            trigger: ".modal button[name='action_run']",
            run: "click",
        },
        {
            content: "The run is done: open its matrix",
            trigger: "button[name='action_open_matrix']",
            run: "click",
        },
        {
            content: "The bubbles are drawn",
            trigger: ".o_portfolio_bubbles_drawn:not([data-point-count='0'])",
        },
        {
            content: "Click the largest customer's bubble",
            trigger: ".o_portfolio_bubbles_drawn",
            run() {
                const canvas = document.querySelector(".o_portfolio_bubbles_drawn");
                const chart = window.Chart.getChart(canvas);
                const bubbles = chart.getDatasetMeta(0).data;
                const points = chart.data.datasets[0].data;
                let largest = 0;
                points.forEach((point, index) => {
                    if (point.r > points[largest].r) {
                        largest = index;
                    }
                });
                const box = canvas.getBoundingClientRect();
                const options = {
                    bubbles: true,
                    clientX: box.left + bubbles[largest].x,
                    clientY: box.top + bubbles[largest].y,
                };
                canvas.dispatchEvent(new MouseEvent("mousemove", options));
                canvas.dispatchEvent(new MouseEvent("click", options));
            },
        },
        {
            content: "The customer opens, with its dossier",
            trigger: ".o_form_view .o_notebook_headers a.nav-link:contains('Relationship')",
        },
    ],
});
