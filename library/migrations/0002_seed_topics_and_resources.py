"""The library's technology topics, linked to the plan categories and the policies
they are about, and the publications the field guidance lists under "Resources"
(summaries in our own words).

Two links in the guidance needed care: the one printed under "Human Trafficking
Online" is the address of the Technology and Labor Trafficking Project, whose own
link is mangled ("https://technology-nata-trafficking/"): the project keeps that
address and the report has none. The framing document's file name was broken
across a line ("La-bor"); it is joined again.
"""

from django.db import migrations

ALL_CATEGORIES = [
    "social-media",
    "messaging",
    "web-browsing",
    "online-gaming",
    "video-streaming",
    "phone-possession",
    "shelter-computers",
]
ALL_POLICIES = [
    "social-media",
    "internet",
    "mobile-devices",
    "gaming",
    "other-networked-technology",
]

# key, name, plan category keys, policy keys
TOPICS = [
    ("social-media", "Social media", ["social-media"], ["social-media"]),
    ("messaging", "Messaging", ["messaging"], ["social-media", "mobile-devices"]),
    ("online-gaming", "Online gaming", ["online-gaming"], ["gaming"]),
    ("mobile-devices", "Mobile devices", ["phone-possession"], ["mobile-devices"]),
    ("online-classifieds", "Online classifieds", ["web-browsing"], ["internet"]),
    (
        "labor-trafficking",
        "Labor trafficking",
        ["web-browsing", "social-media"],
        ["internet", "social-media"],
    ),
    (
        "sex-trafficking",
        "Sex trafficking",
        ["social-media", "messaging", "web-browsing"],
        ["social-media", "internet", "mobile-devices"],
    ),
    ("technology-safety", "General technology safety", ALL_CATEGORIES, ALL_POLICIES),
]

USC = "USC Annenberg Center on Communication Leadership & Policy"

# title, link, publisher, summary, topic keys (all for staff)
RESOURCES = [
    (
        "How to Responsibly Create Technological Interventions to Address the Domestic "
        "Sex Trafficking of Minors",
        "http://www.danah.org/papers/TechnologistsCSEC.pdf",
        "Microsoft Research",
        "What to weigh before building or using technology against the sexual exploitation "
        "of children, so that the tools help young people rather than harm them.",
        ["sex-trafficking", "technology-safety"],
    ),
    (
        "Human Trafficking and Technology: A Framework for Understanding the Role of "
        "Technology in the Commercial Sexual Exploitation of Children in the U.S.",
        "http://research.microsoft.com/en-us/collaboration/focus/education/httframework-2011.pdf",
        "Microsoft Research",
        "Maps the people and steps involved in the sexual exploitation of children in the "
        "U.S. and what is known about where technology plays a part in each.",
        ["sex-trafficking", "social-media", "technology-safety"],
    ),
    (
        "The Technology and Human Trafficking Initiative",
        "https://technologyandtrafficking.usc.edu/",
        USC,
        "A research program on how phones, the internet and data are used both to traffic "
        "people and to fight trafficking and modern slavery around the world.",
        ["technology-safety", "sex-trafficking", "labor-trafficking"],
    ),
    (
        "Human Trafficking Online: The Role of Social Networking Sites and Online Classifieds",
        "",
        USC,
        "Looks at how social networks and online classified ads are used to traffic people, "
        "and suggests technology that could spot and disrupt it.",
        ["social-media", "online-classifieds", "sex-trafficking"],
    ),
    (
        "Technology and Human Trafficking: The Rise of Mobile and the Diffusion of "
        "Technology-Facilitated Trafficking",
        "https://technologyandtrafficking.usc.edu/files/2012/11/HumanTrafficking2012_Nov12.pdf",
        USC,
        "How the move to mobile phones changed the way people are exploited, and how the "
        "same tools can be turned against traffickers.",
        ["mobile-devices", "messaging", "sex-trafficking"],
    ),
    (
        "The Technology and Labor Trafficking Project",
        "https://technologyandtrafficking.usc.edu/technology-labor-trafficking/",
        USC,
        "An early in-depth study of how technology and data can help find and prevent "
        "forced labor and other labor exploitation.",
        ["labor-trafficking", "online-classifieds"],
    ),
    (
        "Technology and Labor Trafficking Project Framing Document",
        "https://technologyandtrafficking.usc.edu/files/2014/06/"
        "Annenberg-Tech-and-Labor-Trafficking-Framing-Document-June-27-2014.pdf",
        USC,
        "A first overview of technology and labor trafficking, drawn from reading the research "
        "and talking with experts and people working in the field.",
        ["labor-trafficking", "online-classifieds"],
    ),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    Resource = apps.get_model("library", "Resource")
    Category = apps.get_model("plans", "Category")
    Policy = apps.get_model("policies", "Policy")
    topics = {}
    for position, (key, name, category_keys, policy_keys) in enumerate(TOPICS, start=1):
        topic, created = Topic.objects.get_or_create(
            key=key, defaults={"name": name, "position": position * 10}
        )
        if created:
            topic.categories.set(Category.objects.filter(key__in=category_keys))
            topic.policies.set(Policy.objects.filter(key__in=policy_keys))
        topics[key] = topic
    for title, url, publisher, summary, topic_keys in RESOURCES:
        resource, created = Resource.objects.get_or_create(
            title=title,
            defaults={"url": url, "publisher": publisher, "summary": summary, "audience": "staff"},
        )
        if created:
            resource.topics.set([topics[key] for key in topic_keys])


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("plans", "0002_categories"),
        ("policies", "0002_topics_and_phrases"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
