"""Load the programmes and the historical calls of the seed documents (portal/calls/data/calls.json)."""

import json
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.dateparse import parse_datetime

from portal.accounts.models import Unit

from .models import Call, Programme

DATA_FILE = Path(__file__).resolve().parent / "data" / "calls.json"


def _call_fields(entry, programmes, units):
    return {
        "programme": programmes[entry["programme"]],
        "document_number": entry["document_number"],
        "issuing_body": units[entry["issuing_body"]],
        "issue_date": date.fromisoformat(entry["issue_date"]),
        "issue_date_text": entry["issue_date_text"],
        "opens_at": parse_datetime(entry["opens_at"]),
        "filing_deadline": parse_datetime(entry["filing_deadline"]) if entry["filing_deadline"] else None,
        "recommendation_deadline": parse_datetime(entry["recommendation_deadline"]),
        "filing_unit_kinds": entry["filing_unit_kinds"],
        "recommender_kinds": entry["recommender_kinds"],
        "receiver": units[entry["receiver"]],
        "quota_by_zone": entry["quota_by_zone"],
        "paper_copies": entry["paper_copies"],
        "plan_first_year": entry["plan_first_year"],
        "plan_years": entry["plan_years"],
        "objection_contact": entry.get("objection_contact", ""),
    }


@transaction.atomic
def load_calls():
    """Create or update the seed programmes and calls (needs load_regions first). Returns the calls."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    programmes = {}
    for entry in data["programmes"]:
        programme, _ = Programme.objects.update_or_create(code=entry["code"], defaults=entry)
        programmes[programme.code] = programme
    codes = {c[key] for c in data["calls"] for key in ("issuing_body", "receiver")}
    units = Unit.objects.in_bulk(codes, field_name="code")
    calls = []
    for entry in data["calls"]:
        call, _ = Call.objects.update_or_create(title=entry["title"], defaults=_call_fields(entry, programmes, units))
        call.full_clean()
        calls.append(call)
    return calls
