/** @odoo-module **/

import { openDashboard } from "@crm_relationship/../tests/tours/dashboard_tour";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_quality_dashboard_screen", {
    steps: () => openDashboard("Quality"),
});
