"""What must never be published: the personal-data scanner, attachment text, the safety gate over the records and the audit of the output."""
