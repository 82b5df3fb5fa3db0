"""/open-data/: the site's files, and each programme's by the id of its Vietnamese page."""

from django.urls import path

from opendata import views

app_name = "open_data"

urlpatterns = [
    path("iati-activities.xml", views.iati_activities, name="iati_activities"),
    path("iati-organisation.xml", views.iati_organisation, name="iati_organisation"),
    path("programmes.json", views.programmes_json, name="programmes_json"),
    path("programmes.csv", views.programmes_csv, name="programmes_csv"),
    path("results.csv", views.results_csv, name="results_csv"),
    path("programmes/<int:page_id>.xml", views.programme_iati, name="programme_iati"),
    path("programmes/<int:page_id>.json", views.programme_json, name="programme_json"),
]
