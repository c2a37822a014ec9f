# The stored status becomes a code of TaskStatus; rows written before keep their meaning.

from django.db import migrations, models

CODES = {"정상": "on_track", "주의": "attention", "지연": "delayed", "": "undetermined"}


def to_codes(apps, schema_editor):
    rows = apps.get_model("reports", "TaskAssessment").objects
    for text, code in CODES.items():
        rows.filter(status=text).update(status=code)


def to_text(apps, schema_editor):
    rows = apps.get_model("reports", "TaskAssessment").objects
    for text, code in CODES.items():
        rows.filter(status=code).update(status=text)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_taskrevision"),
    ]

    operations = [
        migrations.AlterField(
            model_name="taskassessment",
            name="status",
            field=models.CharField(max_length=12, blank=True, verbose_name="진단"),
        ),
        migrations.RunPython(to_codes, to_text),
        migrations.AlterField(
            model_name="taskassessment",
            name="status",
            field=models.CharField(
                choices=[("on_track", "정상"), ("attention", "주의"), ("delayed", "지연"), ("undetermined", "판단 불가")],
                max_length=12,
                verbose_name="진단",
            ),
        ),
    ]
