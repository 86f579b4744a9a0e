"""Complaints resolved by earlier versions had their whole restitution booked at resolution.

The new Restitution Booked field remembers it, so that resolving such a complaint again after a
reopening books only what is added, never the same amount twice.
"""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE helpdesk_ticket ticket
        SET restitution_booked = COALESCE(booked.amount, 0)
        FROM (
            SELECT ticket_id, SUM(amount) AS amount
            FROM crm_quality_cost
            WHERE ticket_id IS NOT NULL AND category = 'external_failure'
            GROUP BY ticket_id
        ) booked
        WHERE booked.ticket_id = ticket.id AND ticket.is_complaint AND ticket.resolved_date IS NOT NULL
          AND ticket.restitution_booked IS NULL
        """
    )
