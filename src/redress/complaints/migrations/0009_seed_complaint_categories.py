from django.db import migrations

# A frozen copy of the default list at the time of this migration (complaints.categories.DEFAULT_PAIRS).
PAIRS = (
    ("Mortgage", "Trouble during payment process"),
    ("Mortgage", "Struggling to pay mortgage"),
    ("Mortgage", "Loan servicing, payments, escrow account"),
    ("Mortgage", "Loan modification,collection,foreclosure"),
    ("Mortgage", "Applying for a mortgage or refinancing an existing mortgage"),
    ("Debt collection", "Attempts to collect debt not owed"),
    ("Debt collection", "Communication tactics"),
    ("Debt collection", "Written notification about debt"),
    ("Credit reporting, credit repair services, or other personal consumer reports", "Incorrect information on your report"),
    ("Credit reporting, credit repair services, or other personal consumer reports", "Improper use of your report"),
    ("Checking or savings account", "Managing an account"),
    ("Credit card or prepaid card", "Problem with a purchase shown on your statement"),
    ("Student loan", "Dealing with your lender or servicer"),
    ("Vehicle loan or lease", "Managing the loan or lease"),
    ("Payday loan, title loan, or personal loan", "Charged fees or interest you didn't expect"),
    ("Money transfer, virtual currency, or money service", "Fraud or scam"),
)


def seed(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    ComplaintCategory = apps.get_model("complaints", "ComplaintCategory")
    for agency in Agency.objects.all():
        have = {n.lower() for n in ComplaintCategory.objects.filter(agency=agency).values_list("name", flat=True)}
        names = [f"{product} — {issue}" for product, issue in PAIRS]
        ComplaintCategory.objects.bulk_create(
            ComplaintCategory(agency=agency, name=name, position=i)
            for i, name in enumerate(names, 1)
            if name.lower() not in have
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0008_complaint_categories")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
