import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def copy_revisions(apps, schema_editor):
    Task = apps.get_model('initiatives', 'Task')
    TaskRevision = apps.get_model('reports', 'TaskRevision')
    tasks = Task.objects.using(schema_editor.connection.alias).exclude(revision=0).order_by('pk')
    TaskRevision.objects.using(schema_editor.connection.alias).bulk_create(
        (TaskRevision(task_id=pk, revision=revision) for pk, revision in tasks.values_list('pk', 'revision').iterator()),
        batch_size=1000,
    )


def copy_revisions_back(apps, schema_editor):
    Task = apps.get_model('initiatives', 'Task')
    TaskRevision = apps.get_model('reports', 'TaskRevision')
    stored = TaskRevision.objects.filter(task=OuterRef('pk')).values('revision')
    Task.objects.using(schema_editor.connection.alias).update(revision=Coalesce(Subquery(stored), 0))


class Migration(migrations.Migration):
    """Task.revision moves here (only reporting reads it); initiatives' 0004 drops the old column afterwards."""

    dependencies = [
        ('initiatives', '0003_task_revision'),
        ('reports', '0003_stored_assessments'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaskRevision',
            fields=[
                ('task', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='assessment_revision', serialize=False, to='initiatives.task', verbose_name='과제')),
                ('revision', models.PositiveIntegerField(default=0, verbose_name='평가 산출 판')),
            ],
            options={
                'verbose_name': '과제 평가 산출 판',
                'verbose_name_plural': '과제 평가 산출 판',
            },
        ),
        migrations.RunPython(copy_revisions, copy_revisions_back, elidable=False),
    ]
