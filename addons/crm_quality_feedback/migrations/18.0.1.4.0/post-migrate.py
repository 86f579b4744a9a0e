"""The complaint mails are written in the customer's language from this version on.

Their templates are data an administrator may have edited (noupdate), so the upgrade sets only
their Language, and only where none was chosen.
"""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE mail_template template
        SET lang = '{{ object.partner_id.lang }}'
        FROM ir_model_data data
        WHERE data.model = 'mail.template' AND data.res_id = template.id
          AND data.module = 'crm_quality_feedback'
          AND data.name IN ('mail_template_complaint_acknowledgement', 'mail_template_complaint_status')
          AND (template.lang IS NULL OR template.lang = '')
        """
    )
