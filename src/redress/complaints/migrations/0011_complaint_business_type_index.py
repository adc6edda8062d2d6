# The complaint list's business-type filter, within the agency like the other filters.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0010_non_nmls_entity_discussion'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['agency', 'business_type'], name='cmp_agency_business_idx'),
        ),
    ]
