import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from reports.models import Report, Section


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    title = factory.Sequence(lambda n: f"Report number {n}")
    slug = factory.Sequence(lambda n: f"report-number-{n}")
    status = Report.Status.PUBLISHED
    lead = "A short lead paragraph."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    report = factory.SubFactory(ReportFactory)
    order = factory.Sequence(lambda n: n * 10)
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "Some text with *emphasis*."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def staff_in_group(group_name: str, **fields):
    """A staff account in one of the groups the migrations create ("Editors", "Moderators")."""
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user
