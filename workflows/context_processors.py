"""Lets the item template include the approval record without the content app knowing this one.

``disclosure_pages`` never imports its consumers: its item template includes whatever
template ``approval_record_template`` names, if any. Installing this app (and this context
processor) is what makes the record appear.
"""


def approval_record(request):
    return {"approval_record_template": "workflows/approval_record.html"}
