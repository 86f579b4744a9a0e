{
    "name": "Quality Feedback",
    "summary": "Complaint handling on the helpdesk, corrective and preventive actions with an "
    "effectiveness check, and a cost-of-quality ledger",
    "version": "18.0.1.1.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "CRM Relationship Suite",
    "website": "https://github.com/crm-relationship-suite/crm-relationship-suite",
    "depends": ["crm_relationship", "helpdesk_mgmt", "helpdesk_mgmt_sla", "portal", "spreadsheet_dashboard"],
    "data": [
        "security/crm_quality_feedback_security.xml",
        "security/ir.model.access.csv",
        "security/helpdesk_ticket_security.xml",
        "data/crm_quality_action_data.xml",
        "data/crm_complaint_data.xml",
        "views/crm_quality_action_views.xml",
        "views/crm_quality_cost_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/crm_customer_feedback_views.xml",
        "views/crm_quality_gap_views.xml",
        "report/crm_complaint_sla_report_views.xml",
        "views/helpdesk_ticket_portal_templates.xml",
        "views/res_config_settings_views.xml",
        "views/crm_quality_feedback_menus.xml",
        "data/crm_quality_feedback_dashboard.xml",
    ],
    "demo": ["demo/crm_quality_feedback_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "crm_quality_feedback/static/src/chatter/*",
        ],
        "web.assets_tests": [
            "crm_quality_feedback/static/tests/tours/*",
        ],
    },
    "application": True,
    "installable": True,
}
