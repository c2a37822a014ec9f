from django.db import migrations


class Migration(migrations.Migration):
    """The revision moved to reports.TaskRevision; reports' migration copies it before this one drops the column."""

    dependencies = [
        ('initiatives', '0003_task_revision'),
        ('reports', '0004_taskrevision'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='task',
            name='revision',
        ),
    ]
