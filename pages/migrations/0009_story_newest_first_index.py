from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pages", "0008_about_transparency")]

    operations = [
        migrations.AddIndex(
            model_name="storypage",
            index=models.Index(fields=["-date", "-page_ptr"], name="pages_story_newest_first"),
        ),
    ]
