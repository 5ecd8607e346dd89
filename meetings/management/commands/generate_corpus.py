"""Build a synthetic corpus shaped like the real one, in bulk, for benchmarks.

    python manage.py generate_corpus --meetings 100000 --seed 1 [--flush]

Shape (per meeting, on average): about ten speeches, a few zapiski, one to four
resolutions, one to three agenda items, zero to two campaigns of its years, one citation
into one of a few dozen synthetic dela (a handful of them very large). Organisations,
cells and campaigns are the real reference records (``fixtures/corpus/00-reference.yaml``,
loaded when the database has none). Speakers are Russian-like surnames built from
syllables in Cyrillic, transliterated with unidecode, with variant spellings; a few speak
very often, most rarely.

Everything content-bearing comes from ``random.Random(seed)``, never from database ids,
so the same seed gives the same corpus. Every meeting is marked ``synthetic=True``; the
synthetic people, dela and citations carry the marker ``SYNTHETIC`` in their notes/title.
The command refuses a database that holds real meetings, so a benchmark can never
pollute the archive.
"""

from __future__ import annotations

import datetime
import io
import itertools
import random
import time
from bisect import bisect
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from tqdm import tqdm
from unidecode import unidecode

from meetings import dates
from meetings.models import (
    AgendaItem,
    Archive,
    Campaign,
    Cell,
    Citation,
    Delo,
    Fond,
    Meeting,
    MeetingCitation,
    Opis,
    Organisation,
    Person,
    PersonName,
    Resolution,
    Speech,
    Zapiska,
    latin_slug,
    number_sort_key,
)
from meetings.names import search_key

SYNTHETIC = "SYNTHETIC"  # marker in Person.notes, Delo.title, Citation.notes
BATCH = 5000
CHUNK_MEETINGS = 2000  # meetings generated (and their children inserted) per round
YEARS = range(1926, 1942)
REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "corpus" / "00-reference.yaml"

# ---------------------------------------------------------------------------
# Names

ROOTS = [
    "Кир", "Иван", "Петр", "Смирн", "Кузнец", "Попов", "Соколов", "Лебед", "Козл", "Новик",
    "Морозов", "Волк", "Алексе", "Лапин", "Семен", "Егор", "Павл", "Степан", "Никит", "Орл",
    "Андре", "Макар", "Захар", "Зайц", "Соловь", "Борис", "Яковл", "Григорь", "Роман", "Воробь",
    "Сергее", "Фрол", "Гусев", "Тихон", "Жук", "Щерб", "Хрущ", "Жданов", "Чуба", "Шапош",
    "Бел", "Черн", "Сидор", "Мельник", "Гончар", "Ковал", "Кирьян", "Филипп", "Мартын", "Карп",
]  # fmt: skip
MIDDLES = ["", "", "", "ан", "ин", "ен", "уш", "ащ", "ял", "ьк", "ич", "ов", "ар", "ушк", "ьян"]
ENDINGS = ["ов", "ев", "ин", "ский", "цкий", "енко", "ов", "ин", "ёв", "ых", "ович", "ёнок"]
FIRST = [
    ("Иван", "Ivan"), ("Петр", "Petr"), ("Алексей", "Aleksei"), ("Николай", "Nikolai"),
    ("Михаил", "Mikhail"), ("Василий", "Vasilii"), ("Сергей", "Sergei"), ("Андрей", "Andrei"),
    ("Анна", "Anna"), ("Мария", "Mariia"), ("Федор", "Fedor"), ("Григорий", "Grigorii"),
]  # fmt: skip


def cyrillic_surname(rng: random.Random) -> str:
    name = rng.choice(ROOTS) + rng.choice(MIDDLES) + rng.choice(ENDINGS)
    return name.replace("ьо", "ьё").replace("ьь", "ь")


def variants(latin: str) -> list[str]:
    """Other ways a transliterated name gets written (popular, scholarly, no signs)."""
    popular = (
        latin.replace("'ia", "ya").replace("'iu", "yu").replace("ia", "ya").replace("iu", "yu")
    )
    popular = popular.replace("'e", "ye").replace("'", "")
    if popular.endswith("skii"):
        popular = popular[:-4] + "sky"
    scholarly = latin.replace("ia", "ja").replace("iu", "ju").replace("kh", "ch")
    plain = latin.replace("'", "")
    found = []
    for v in (popular, scholarly, plain):
        if v != latin and v not in found:
            found.append(v)
    return found


# ---------------------------------------------------------------------------
# Phrases (our own words; the Russian ones stand for short quotations in records)

TOPICS = [
    "the production plan", "wages and piece rates", "the bread ration", "housing",
    "defective output (brak)", "the purge commission", "shock work", "socialist competition",
    "labour discipline", "the opposition platform", "the kolkhoz drive", "absenteeism",
    "the canteen", "overtime", "the shop administration", "the wall newspaper",
    "party education", "the Stakhanovite norms", "the new tractor line", "fuel supply",
    "the Winter War", "political classes on board", "one-man command", "the commissars",
]  # fmt: skip
SPEECH_TEMPLATES = [
    "Reported on {t} in the {c}.", "Criticised the administration over {t}.",
    "Defended the bureau's line on {t}.", "Asked why nothing was done about {t}.",
    "Complained about {t} and the foremen.", "Supported the resolution on {t}.",
    "Spoke against the proposal on {t}.", "Gave figures on {t} for the {c}.",
    "Accused a comrade of silence on {t}.", "Promised to fix {t} within a month.",
]  # fmt: skip
QUOTES = [
    "Товарищи, так работать нельзя.", "Где хлеб, там и порядок.", "Мы требуем ответа.",
    "Почему молчит партком?", "Норму выполнили на сто двадцать процентов.",
    "Самокритика должна идти снизу.", "Октябрьская революция дала нам всё.",
]  # fmt: skip
ZAPISKA_TEXTS = [
    "Правда ли, что снизят расценки?", "Когда дадут квартиры рабочим?",
    "Почему директор получает паёк больше нашего?", "Кто отвечает за брак в цеху?",
    "Правда ли, что Зиновьев был прав?", "Будет ли война?", "Когда отменят карточки?",
    "Почему исключили товарища без собрания?", "Сколько получает стахановец?",
]  # fmt: skip
RES_SUMMARIES = {
    "resolution": "Approved the report on {t}.",
    "election": "Elected a new bureau for the {c}.",
    "expulsion": "Expelled a member for silence on {t}.",
    "reprimand": "Reprimanded a member over {t}.",
    "measure": "Ordered the {c} to act on {t}.",
    "other": "Noted the discussion of {t}.",
}
RES_KINDS = (["resolution"] * 6) + ["election", "expulsion", "reprimand", "measure", "other"]
BODIES = [
    ("general_assembly", 30), ("bureau", 20), ("shop_cell", 20), ("party_committee", 8),
    ("expanded_bureau", 5), ("party_group", 5), ("production_conference", 4),
    ("conference", 2), ("commission", 3), ("higher_organ", 2), ("other", 1),
]  # fmt: skip
SPEECH_KINDS = [("floor", 70), ("heckle", 12), ("statement", 6), ("coreport", 4), ("other", 2)]


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


# ---------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Build a synthetic corpus (refuses a database that holds real meetings)."

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=1000, help="number of meetings")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed (same seed, same corpus)"
        )
        parser.add_argument(
            "--flush", action="store_true", help="delete earlier synthetic records first"
        )
        parser.add_argument("--people", type=int, default=0, help="speakers (default N/5)")
        parser.add_argument("--dela", type=int, default=40, help="synthetic dela")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **opts):
        n = opts["meetings"]
        if n < 1:
            raise CommandError("--meetings must be at least 1")
        refuse_real_data()
        started = time.monotonic()
        if Meeting.objects.filter(synthetic=True).exists() or synthetic_people().exists():
            if not opts["flush"]:
                raise CommandError(
                    "The database already holds a synthetic corpus; add --flush to replace it."
                )
        if opts["flush"]:
            flush(self.stdout)
        gen = Generator(
            n,
            seed=opts["seed"],
            n_people=opts["people"] or max(50, n // 5),
            n_dela=opts["dela"],
            progress=not opts["no_progress"] and opts["verbosity"] > 0,
        )
        counts = gen.run()
        seconds = time.monotonic() - started
        if opts["verbosity"] > 0:
            summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
            self.stdout.write(
                f"Synthetic corpus (seed {opts['seed']}) on {connection.vendor}: {summary} "
                f"in {seconds:.1f} s"
            )
        return None


def refuse_real_data():
    real = Meeting.objects.filter(synthetic=False).count()
    if real:
        raise CommandError(
            f"This database holds {real:,} real (non-synthetic) meetings: refusing to add a "
            "synthetic corpus to the archive. Point DATABASE_URL at a scratch database, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench or "
            "DATABASE_URL=sqlite:////tmp/bench.sqlite3, and run `manage.py migrate` there."
        )


def synthetic_people():
    return Person.objects.filter(notes=SYNTHETIC)


def flush(stdout=None):
    """Delete every synthetic record (meetings cascade to their speeches, notes, decisions)."""
    started = time.monotonic()
    with transaction.atomic():
        meetings = Meeting.objects.filter(synthetic=True)
        for model in (Speech, Zapiska, Resolution, AgendaItem, MeetingCitation):
            model.objects.filter(meeting__in=meetings.values("pk")).delete()
        Meeting.campaigns.through.objects.filter(meeting__in=meetings.values("pk")).delete()
        meetings.delete()
        Citation.objects.filter(notes=SYNTHETIC).delete()
        Delo.objects.filter(title__startswith=SYNTHETIC).delete()
        PersonName.objects.filter(person__notes=SYNTHETIC).delete()
        synthetic_people().delete()
    if stdout is not None:
        stdout.write(f"Flushed earlier synthetic records in {time.monotonic() - started:.1f} s")


def ensure_reference():
    """The real organisations, cells and campaigns; loaded from the fixture if missing."""
    if not Organisation.objects.exists():
        if REFERENCE.exists():
            from meetings.importer import import_file

            import_file(REFERENCE, commit=True)
        else:  # a bare database without the fixtures: a few of our own
            archive, _ = Archive.objects.get_or_create(abbreviation="TsGAIPD", slug="tsgaipd")
            fond, _ = Fond.objects.get_or_create(archive=archive, number="1012")
            Opis.objects.get_or_create(fond=fond, number="1")
            org = Organisation.objects.create(name="Synthetic plant party organisation", kind="ppo")
            for name in ("tractor shop", "forge shop", "foundry", "wagon shop"):
                Cell.objects.create(organisation=org, name=name)
            for name, start, end in (("1929 purge", "1929", "1930"), ("Stakhanovism", "1935", "")):
                Campaign.objects.create(name=name, date_start=start, date_end=end)


class Generator:
    def __init__(self, n_meetings, *, seed, n_people, n_dela, progress=True):
        self.n = n_meetings
        self.rng = random.Random(seed)
        self.n_people = n_people
        self.n_dela = n_dela
        self.progress = progress
        self.counts: dict[str, int] = {}
        self._fold_cache: dict[str, str] = {}

    def fold(self, text: str) -> str:
        if not text:
            return ""
        got = self._fold_cache.get(text)
        if got is None:
            got = self._fold_cache[text] = search_key(text)
        return got

    def folded(self, *parts) -> str:
        return " ".join(f for f in (self.fold(p) for p in parts) if f)

    # -- ids -----------------------------------------------------------------

    @staticmethod
    def next_id(model) -> int:
        return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def new_id(self, model) -> int:
        pk = self.ids[model]
        self.ids[model] = pk + 1
        return pk

    def insert(self, model, rows):
        if rows:
            copy_rows(model, self.makers[model].columns, rows)
            name = model._meta.verbose_name_plural
            self.counts[name] = self.counts.get(name, 0) + len(rows)

    # -- reference and pools ---------------------------------------------------

    def setup(self):
        ensure_reference()
        tables = [Person, PersonName, Meeting, Speech, Zapiska, Resolution, AgendaItem, Citation,
                  MeetingCitation, Meeting.campaigns.through]  # fmt: skip
        self.makers = {m: RowMaker(m) for m in tables}
        self.ids = {m: self.next_id(m) for m in tables}
        rng = self.rng
        orgs = list(Organisation.objects.order_by("slug"))
        cells = list(Cell.objects.select_related("organisation").order_by("slug"))
        self.orgs = orgs
        self.org_weight = {"ppo": 6, "fleet": 3, "higher": 1, "other": 1}
        self.cells_by_org = {o.pk: [c for c in cells if c.organisation_id == o.pk] for o in orgs}
        self.cell_text = {
            c.pk: (c.name, self.folded(c.name, c.name_ru, c.other_names)) for c in cells
        }
        self.org_text = {o.pk: self.folded(str(o), o.name) for o in orgs}
        campaigns = list(Campaign.objects.order_by("slug"))
        self.campaigns_by_year = {
            y: [
                c
                for c in campaigns
                if (c.start is None or c.start.year <= y) and (c.end is None or y <= c.end.year)
            ]
            for y in YEARS
        }
        self.campaign_fold = {c.pk: self.fold(c.name) for c in campaigns}
        self.body_labels = dict(Meeting.Body.choices)
        self.kind_labels = dict(Resolution.Kind.choices)
        self.make_people(rng)
        self.make_dela(rng)

    def make_people(self, rng):
        start = self.next_id(Person)
        people, names, seen = [], [], set()
        self.person_fold: dict[int, str] = {}
        self.person_name: dict[int, tuple[str, str]] = {}
        for i in range(self.n_people):
            ru = cyrillic_surname(rng)
            while ru in seen and rng.random() < 0.9:
                ru = cyrillic_surname(rng)
            seen.add(ru)
            latin = unidecode(ru)
            first_ru, first = rng.choice(FIRST)
            spellings = sorted(variants(latin))
            key = search_key(" ".join([latin, ru, *spellings]))
            pk = start + i
            people.append(
                self.makers[Person](
                    pk=pk,
                    slug=f"syn-{latin_slug(latin, 60)}-{i}",
                    name=latin,
                    name_ru=ru,
                    first_name=first if rng.random() < 0.4 else "",
                    notes=SYNTHETIC,
                    search_key=key,
                )
            )
            names += [
                self.makers[PersonName](
                    pk=self.new_id(PersonName), person_id=pk, name=v, kind="variant"
                )
                for v in spellings
            ]
            self.person_fold[pk] = key
            self.person_name[pk] = (latin, ru, *spellings)
        self.insert(Person, people)
        self.insert(PersonName, names)
        self.person_ids = list(range(start, start + len(people)))
        # A long tail: speaker r speaks with weight 1/(r+30), so a few speak very often.
        self.person_cum = list(itertools.accumulate(1 / (r + 30) for r in range(len(people))))

    def pick_person(self, rng) -> int:
        x = rng.random() * self.person_cum[-1]
        return self.person_ids[min(bisect(self.person_cum, x), len(self.person_ids) - 1)]

    def make_dela(self, rng):
        opisi = list(Opis.objects.select_related("fond__archive").order_by("pk"))
        if not opisi:
            archive, _ = Archive.objects.get_or_create(abbreviation="TsGAIPD", slug="tsgaipd")
            fond, _ = Fond.objects.get_or_create(archive=archive, number="1012")
            opisi = [Opis.objects.create(fond=fond, number="1")]
        dela = []
        for i in range(self.n_dela):
            opis = opisi[i % len(opisi)]
            number = f"{9000 + i}" + ("a" if rng.random() < 0.1 else "")
            year = rng.choice(YEARS)
            dela.append(
                Delo(
                    opis=opis,
                    number=number,
                    sort_key=number_sort_key(number),
                    title=f"{SYNTHETIC}: minutes of party meetings, {year}",
                    covering_dates=str(year),
                    year_from=year,
                    year_to=year,
                )
            )
        Delo.objects.bulk_create(dela)
        self.counts["dela"] = len(dela)
        self.dela = list(
            Delo.objects.filter(title__startswith=SYNTHETIC).order_by("sort_key", "pk")
        )
        # A few very large dela: weights 1/(r+1)^1.1.
        self.delo_cum = list(
            itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(len(self.dela)))
        )
        self.next_folio = {d.pk: 1 for d in self.dela}

    # -- the meetings ------------------------------------------------------------

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.setup()
        bar = tqdm(total=self.n, unit="meetings", disable=not self.progress)
        done = 0
        while done < self.n:
            size = min(CHUNK_MEETINGS, self.n - done)
            with transaction.atomic():
                self.chunk(size)
            done += size
            bar.update(size)
        bar.close()
        reset_sequences()
        with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
            if connection.vendor == "postgresql" and connection.get_autocommit():
                cursor.execute("VACUUM ANALYZE")  # also the visibility map: index-only scans
            else:
                cursor.execute("ANALYZE")
        return self.counts

    def chunk(self, size):
        ids = self.ids
        rng = self.rng
        meetings, speeches, zapiski, resolutions, agenda, citations, links, m2m = (
            [] for _ in range(8)
        )
        Through = Meeting.campaigns.through
        R = self.makers
        nulls_first = connection.vendor != "postgresql"  # how ORDER BY start sorts NULL
        for _ in range(size):
            mid = ids[Meeting]
            ids[Meeting] += 1
            org = rng.choices(
                self.orgs, weights=[self.org_weight.get(o.kind, 1) for o in self.orgs]
            )[0]
            cells = self.cells_by_org.get(org.pk) or []
            cell_id = rng.choice(cells).pk if cells and rng.random() < 0.85 else None
            year = rng.choice(YEARS)
            r = rng.random()
            if r < 0.7:
                month, day = rng.randint(1, 12), rng.randint(1, 28)
                date = f"{year}-{month:02d}-{day:02d}"
            elif r < 0.87:
                date = f"{year}-{rng.randint(1, 12):02d}"
            elif r < 0.98:
                date = str(year)
            else:
                date = ""
            pd = dates.PartialDate.parse(date)
            body = weighted(rng, BODIES)
            body_label = self.body_labels[body]
            cell_name, cell_fold = self.cell_text[cell_id] if cell_id else ("", "")
            where = cell_name or org.short_name or org.name
            title = f"{body_label.split(' (')[0].capitalize()}, {where}"
            topic = rng.choice(TOPICS)
            summary = f"Discussed {topic}; {rng.choice(TOPICS)} also raised."
            chair = self.pick_person(rng) if rng.random() < 0.6 else None
            attendance = rng.randint(8, 400) if rng.random() < 0.7 else None
            campaign_pool = self.campaigns_by_year[year]
            chosen = rng.sample(campaign_pool, min(len(campaign_pool), rng.choice((0, 1, 1, 2))))
            chosen.sort(key=lambda c: (nulls_first != (c.start is None), c.start, c.name))
            # Folded parts, in the order meetings.search.meeting_document gives them.
            parts = [
                self.fold(title),
                self.fold(body_label),
                self.fold(summary),
                self.person_fold[chair] if chair else "",
                self.org_text[org.pk],
                cell_fold,
            ]
            parts += [self.campaign_fold[c.pk] for c in chosen]
            m2m += [
                R[Through](pk=self.new_id(Through), meeting_id=mid, campaign_id=c.pk)
                for c in chosen
            ]
            # Agenda: the first item's reporter gives the report.
            reporter = self.pick_person(rng)
            for order in range(rng.randint(1, 3)):
                item_title = f"On {rng.choice(TOPICS) if order else topic}"
                rep = reporter if order == 0 else None
                agenda.append(
                    R[AgendaItem](
                        pk=ids[AgendaItem], meeting_id=mid, order=order, title=item_title,
                        reporter_id=rep,
                    )
                )  # fmt: skip
                ids[AgendaItem] += 1
                parts += [self.fold(item_title), self.person_fold[rep] if rep else ""]
            # Citation: folios in one delo, allotted in order so they never collide.
            x = rng.random() * self.delo_cum[-1]
            delo = self.dela[min(bisect(self.delo_cum, x), len(self.dela) - 1)]
            n_speech = rng.randint(4, 16)
            folio = self.next_folio[delo.pk]
            span = 1 + n_speech // 3
            self.next_folio[delo.pk] = folio + span + 1
            folios = f"{folio}-{folio + span}"
            cid = ids[Citation]
            ids[Citation] += 1
            citations.append(
                R[Citation](
                    pk=cid, opis_id=delo.opis_id, delo_id=delo.pk, folios=folios,
                    first_folio=folio, raw=f"{delo}, ll. {folios}.", notes=SYNTHETIC,
                )
            )  # fmt: skip
            links.append(
                R[MeetingCitation](
                    pk=self.new_id(MeetingCitation), meeting_id=mid, citation_id=cid, order=0
                )
            )
            # Speeches.
            for order in range(n_speech):
                if order == 0:
                    kind, person = "report", reporter
                elif order == n_speech - 1 and rng.random() < 0.5:
                    kind, person = "concluding", reporter
                else:
                    kind, person = weighted(rng, SPEECH_KINDS), self.pick_person(rng)
                names = self.person_name[person]
                display = rng.choice(names[:2]) if rng.random() < 0.8 else rng.choice(names)
                text = rng.choice(SPEECH_TEMPLATES).format(t=rng.choice(TOPICS), c=where)
                quote = rng.choice(QUOTES) if rng.random() < 0.15 else ""
                page = folio + order // 3
                f = f"{page}ob" if order % 3 == 2 else str(page)
                speeches.append(
                    R[Speech](
                        pk=ids[Speech], meeting_id=mid, order=order, person_id=person,
                        speaker_display=display, kind=kind, summary=text, quotation=quote,
                        folios=f, first_folio=page,
                        cell_id=cell_id if rng.random() < 0.3 else None,
                    )
                )  # fmt: skip
                ids[Speech] += 1
                parts += [
                    self.fold(display),
                    self.person_fold[person],
                    self.fold(text),
                    self.fold(quote),
                ]
            # Zapiski: at about half the meetings, up to six.
            if rng.random() < 0.5:
                for order in range(rng.randint(1, 6)):
                    text = rng.choice(ZAPISKA_TEXTS)
                    doc = self.folded(text) + " " + self.person_fold[reporter]
                    zapiski.append(
                        R[Zapiska](
                            pk=ids[Zapiska], meeting_id=mid, order=order, addressed_to_id=reporter,
                            anonymous=True, text=text, folios=str(folio + span),
                            first_folio=folio + span, search_text=doc,
                        )
                    )  # fmt: skip
                    ids[Zapiska] += 1
                    parts.append(search_key(doc))
            # Resolutions.
            for order in range(rng.randint(1, 4)):
                kind = rng.choice(RES_KINDS)
                text = RES_SUMMARIES[kind].format(t=rng.choice(TOPICS), c=where)
                person = self.pick_person(rng) if kind in ("expulsion", "reprimand") else None
                outcome = rng.choice(("adopted unanimously", "adopted", "adopted by majority"))
                doc = self.folded(self.kind_labels[kind], text, outcome)
                if person:
                    doc += " " + self.person_fold[person]
                votes = rng.randint(5, 300) if rng.random() < 0.3 else None
                resolutions.append(
                    R[Resolution](
                        pk=ids[Resolution], meeting_id=mid, order=order, kind=kind,
                        summary=text, person_id=person, outcome=outcome, votes_for=votes,
                        folios=str(folio + span), first_folio=folio + span, search_text=doc,
                    )
                )  # fmt: skip
                ids[Resolution] += 1
                parts.append(search_key(doc))
            record_type = "stenographic" if rng.random() < 0.3 else "protocol"
            meetings.append(
                R[Meeting](
                    pk=mid, title=title, date=pd.iso, date_precision=pd.precision,
                    date_earliest=pd.earliest, date_latest=pd.latest, year=pd.year,
                    body=body, organisation_id=org.pk, cell_id=cell_id, attendance=attendance,
                    chair_id=chair, record_type=record_type,
                    summary=summary, synthetic=True, search_text=" ".join(p for p in parts if p),
                )
            )  # fmt: skip
        self.insert(Meeting, meetings)
        self.insert(Citation, citations)
        self.insert(MeetingCitation, links)
        self.insert(Through, m2m)
        self.insert(AgendaItem, agenda)
        self.insert(Speech, speeches)
        self.insert(Zapiska, zapiski)
        self.insert(Resolution, resolutions)


class RowMaker:
    """Rows as tuples in the table's column order, defaults filled: no model instances."""

    def __init__(self, model):
        fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in fields]
        self.names = [f.attname for f in fields]
        self.defaults = {
            f.attname: (f.get_default() if f.has_default() or not f.null else None) for f in fields
        }
        self.pk = model._meta.pk.attname

    def __call__(self, **values):
        if "pk" in values:
            values[self.pk] = values.pop("pk")
        d = self.defaults
        return tuple(values[n] if n in values else d[n] for n in self.names)


_PG_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _pg_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_PG_ESCAPES)
    return str(value)


def copy_rows(model, columns, rows):
    """Insert rows fast: COPY on PostgreSQL, executemany of one prepared INSERT elsewhere."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            buffer.writelines("\t".join(map(_pg_text, r)) + "\n" for r in rows)
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({cols}) FROM STDIN", buffer)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            if connection.vendor == "sqlite":
                batch = [
                    tuple(v.isoformat() if isinstance(v, datetime.date) else v for v in r)
                    for r in batch
                ]
            cursor.executemany(sql, batch)


def reset_sequences():
    """After explicit ids, let PostgreSQL's sequences continue past them."""
    tables = [Person, PersonName, Delo, Meeting, Speech, Zapiska, Resolution, AgendaItem, Citation,
              MeetingCitation, Meeting.campaigns.through]  # fmt: skip
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
