"""factory_boy factories: realistic corpus records in a line each."""

import factory

from meetings import models


class ArchiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Archive
        django_get_or_create = ("abbreviation",)

    abbreviation = "TsGAIPD"
    abbreviation_ru = "ЦГАИПД СПб"
    slug = factory.LazyAttribute(lambda a: a.abbreviation.lower())
    name = "Central State Archive of Historical-Political Documents of St Petersburg"


class FondFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Fond
        django_get_or_create = ("archive", "number")

    archive = factory.SubFactory(ArchiveFactory)
    number = "1012"


class OpisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Opis
        django_get_or_create = ("fond", "number")

    fond = factory.SubFactory(FondFactory)
    number = "1"


class DeloFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Delo
        django_get_or_create = ("opis", "number")

    opis = factory.SubFactory(OpisFactory)
    number = factory.Sequence(lambda n: str(200 + n))


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Citation

    delo = factory.SubFactory(DeloFactory)
    opis = factory.SelfAttribute("delo.opis")
    folios = "10"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation
        django_get_or_create = ("slug",)

    slug = "kp"
    name = "Krasnyi Putilovets (Kirov) plant party organisation"
    short_name = "KP/Kirov PPO"


class CellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Cell
        django_get_or_create = ("slug",)

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"shop {n}")
    slug = factory.LazyAttribute(lambda c: c.name.replace(" ", "-"))


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Campaign
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"campaign {n}")
    slug = factory.LazyAttribute(lambda c: c.name.replace(" ", "-"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Ivanov{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"General assembly {n}")
    date = "1929-05-14"
    body = models.Meeting.Body.GENERAL_ASSEMBLY
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def campaigns(self, create, extracted, **kwargs):
        if create and extracted:
            self.campaigns.set(extracted)

    @factory.post_generation
    def citations(self, create, extracted, **kwargs):
        for n, citation in enumerate(extracted or []):
            models.MeetingCitation.objects.create(meeting=self, citation=citation, order=n)


class SpeechFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Speech

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    kind = models.Speech.Kind.FLOOR
    summary = "Spoke on the shop's plan."


class ZapiskaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Zapiska

    meeting = factory.SubFactory(MeetingFactory)
    text = "Is it true that the bread ration will be cut?"


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Resolution

    meeting = factory.SubFactory(MeetingFactory)
    kind = models.Resolution.Kind.RESOLUTION
    summary = "Approved the bureau's report."
