"""Anonymous surveys forget who answered (issue 13, item 7): a sheet keeps no channel; the
sampled units keep how many were invited (`InvitedCount`); and the surveys closed before this
get what closing does now (`services._forget_who_answered`): their invitations deleted, the
sheets of units below 5 sheets merged, every sheet written again in a random order."""

import random
from collections import Counter, defaultdict

import django.db.models.deletion
from django.db import migrations, models

from dangvu.sociology.smallcells import merged_units


def forget_who_answered(apps, schema_editor):
    Questionnaire = apps.get_model("sociology", "Questionnaire")
    Invitation = apps.get_model("sociology", "Invitation")
    InvitedCount = apps.get_model("sociology", "InvitedCount")
    Response = apps.get_model("sociology", "Response")
    ResponseAnswer = apps.get_model("sociology", "ResponseAnswer")
    shuffle = random.SystemRandom().shuffle
    for q in Questionnaire.objects.all():
        invited = Counter(
            Invitation.objects.filter(questionnaire=q).values_list("unit_id", flat=True)
        )
        InvitedCount.objects.bulk_create(
            InvitedCount(questionnaire=q, unit_id=u, n=n) for u, n in sorted(invited.items())
        )
        if not q.anonymous:
            continue
        Response.objects.filter(questionnaire=q).update(channel="")
        if q.status != "closed":
            continue
        Invitation.objects.filter(questionnaire=q).delete()
        sheets = list(Response.objects.filter(questionnaire=q).values_list("pk", "unit_id"))
        answers = defaultdict(list)
        for rid, *answer in ResponseAnswer.objects.filter(
            response__questionnaire=q
        ).values_list("response_id", "question_id", "option_id", "points", "text"):
            answers[rid].append(answer)
        codes = dict(q.sample_units.values_list("pk", "code"))
        per_unit = Counter(unit_id for _, unit_id in sheets)
        merged = merged_units({code: per_unit.get(pk, 0) for pk, code in codes.items()})
        Response.objects.filter(questionnaire=q).delete()
        shuffle(sheets)
        rewritten, rewritten_answers = [], []
        for rid, unit_id in sheets:
            kept = unit_id is not None and codes.get(unit_id) not in (None, *merged)
            sheet = Response(questionnaire=q, unit_id=unit_id if kept else None, channel="")
            rewritten.append(sheet)
            mine = answers[rid]
            shuffle(mine)
            rewritten_answers += [
                ResponseAnswer(response=sheet, question_id=qid, option_id=o, points=p, text=t)
                for qid, o, p, t in mine
            ]
        Response.objects.bulk_create(rewritten, batch_size=2000)
        ResponseAnswer.objects.bulk_create(rewritten_answers, batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('sociology', '0001_initial'),
        ('units', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='response',
            name='channel',
            field=models.CharField(blank=True, choices=[('phone', 'Trực tuyến'), ('paper', 'Phiếu giấy')], max_length=6),
        ),
        migrations.AlterField(
            model_name='response',
            name='unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='units.unit'),
        ),
        migrations.CreateModel(
            name='InvitedCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.PositiveIntegerField()),
                ('questionnaire', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invited_counts', to='sociology.questionnaire')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='units.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('questionnaire', 'unit'), name='socio_invited_count')],
            },
        ),
        migrations.RunPython(forget_who_answered, migrations.RunPython.noop),
    ]
