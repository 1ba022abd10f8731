"""Creates the Impressum and the Datenschutzerklärung with German templates.

Every "[bitte ausfüllen]" must be replaced by the operator; `check --deploy` warns until then.
The Datenschutz text describes what this code stores (docs/privacy.md).
"""

from django.db import migrations

from reports.rendering import render_markdown

IMPRESSUM = """\
## Angaben gemäß § 5 DDG

Name bzw. Firma des Anbieters: [bitte ausfüllen]

Straße und Hausnummer: [bitte ausfüllen]

Postleitzahl und Ort: [bitte ausfüllen]

## Vertreten durch

Vertretungsberechtigte Person (bei Gesellschaften mit Rechtsform): [bitte ausfüllen]

## Kontakt

E-Mail: [bitte ausfüllen]

Telefon oder ein anderer schneller elektronischer Kontaktweg: [bitte ausfüllen]

## Registereintrag und Umsatzsteuer-ID

Registergericht, Registernummer und Umsatzsteuer-Identifikationsnummer (diesen Abschnitt
löschen, wenn es keine gibt): [bitte ausfüllen]

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

Name und Anschrift: [bitte ausfüllen]
"""

DATENSCHUTZ = """\
## Verantwortlicher

Name, Anschrift und E-Mail-Adresse des Verantwortlichen: [bitte ausfüllen]

Datenschutzbeauftragte oder Datenschutzbeauftragter (diesen Absatz löschen, wenn keine
benannt ist): [bitte ausfüllen]

## Aufruf der Seiten

Beim Aufruf einer Seite verarbeitet der Server technisch notwendige Angaben (IP-Adresse, Zeitpunkt,
aufgerufene Adresse, Browser), um die Seite auszuliefern (Art. 6 Abs. 1 lit. f DSGVO).
Ob und wie lange der Webserver oder Hoster Zugriffsprotokolle speichert: [bitte ausfüllen]

Die Seiten laden nichts von anderen Anbietern: keine Schriften, keine Skripte, keine Bilder, keine
Statistik- oder Werbedienste.

## Kommentare

Wer einen Kommentar schreibt, gibt uns folgende Daten (Art. 6 Abs. 1 lit. f DSGVO, unser
berechtigtes Interesse an einer moderierten Diskussion):

| Angabe | Wozu | Wie lange |
|---|---|---|
| Name, Kommentartext, Datum | werden mit dem Kommentar angezeigt | solange der Kommentar besteht |
| E-Mail-Adresse | Rückfragen der Moderation, Wiedererkennen freigegebener Autorinnen und Autoren, Erkennen doppelter Kommentare; **wird nie veröffentlicht** | solange der Kommentar besteht |
| Website (freiwillig) | wird mit dem Namen verlinkt | solange der Kommentar besteht |
| IP-Adresse, **vor dem Speichern gekürzt** (IPv4 auf /24, IPv6 auf /48) | Schutz vor Missbrauch und Spam | wird nach 7 Tagen gelöscht |
| Browser-Kennung (User-Agent) | Schutz vor Missbrauch und Spam | wird mit der IP-Adresse gelöscht |

Die vollständige IP-Adresse und die E-Mail-Adresse werden außerdem als Prüfsumme für wenige
Sekunden im Zwischenspeicher gehalten, damit niemand die Seite mit Kommentaren überflutet.

Ein täglicher Lauf löscht IP-Adressen und Browser-Kennungen, die älter als die Aufbewahrungsfrist
sind.

## Meldungen von Kommentaren

Wer einen Kommentar über „Melden“ meldet, übermittelt einen Grund, eine freiwillige Erläuterung,
freiwillig eine E-Mail-Adresse für Rückfragen sowie die gekürzte IP-Adresse (Art. 6 Abs. 1 lit. f
DSGVO, Schutz vor rechtswidrigen Inhalten). Diese Angaben werden nach Ablauf der
Aufbewahrungsfrist gelöscht.

## Benachrichtigungen per E-Mail

Wer beim Kommentieren ankreuzt, über Antworten oder neue Kommentare benachrichtigt zu werden,
bekommt zuerst eine E-Mail mit einem Bestätigungslink (Double-Opt-In, Art. 6 Abs. 1 lit. a DSGVO,
Einwilligung). Erst nach der Bestätigung schicken wir Benachrichtigungen. Als Nachweis der
Einwilligung speichern wir den Zeitpunkt der Anfrage, den Zeitpunkt der Bestätigung und die
gekürzte IP-Adresse. Der Bestätigungslink gilt 7 Tage; unbestätigte Anfragen werden danach
gelöscht. Jede Benachrichtigung enthält einen Link, mit dem man sie mit einem Klick abbestellt;
dabei wird das Abonnement mit dem Einwilligungsnachweis gelöscht. Die Einwilligung kann jederzeit
widerrufen werden.

## Cookies

Wir setzen keine Cookies für Statistik oder Werbung. Nur diese, alle technisch notwendig oder auf
deinen Wunsch:

- `comments_own`: die Nummern deiner eigenen, noch nicht freigegebenen Kommentare, damit nur du
  sie siehst; 30 Tage.
- `comment_author`: Name, E-Mail-Adresse und Website, **nur** wenn du „speichern“ ankreuzt; ein
  Jahr; gelöscht, sobald du ohne das Häkchen kommentierst.
- `csrftoken`: Schutz des Formulars vor Fälschung.
- `sessionid`: nur für die Anmeldung der Redaktion und Moderation.

## Empfänger und Auftragsverarbeiter

Hoster und E-Mail-Dienstleister, mit denen ein Auftragsverarbeitungsvertrag besteht: [bitte ausfüllen]

## Deine Rechte

Du hast das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17),
Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und Widerspruch gegen
Verarbeitungen aus berechtigtem Interesse (Art. 21). Eine Einwilligung kannst du jederzeit mit
Wirkung für die Zukunft widerrufen (Art. 7 Abs. 3).

So nutzt du sie: Schreib eine E-Mail an [bitte ausfüllen] mit der E-Mail-Adresse,
die du beim Kommentieren angegeben hast. Wir schicken dir alle dazu gespeicherten Angaben als
Datei oder löschen sie: Der Text deiner Kommentare bleibt dann stehen, als Name steht „Anonym“,
E-Mail-Adresse, Website, IP-Adresse, Browser-Kennung und Benachrichtigungen werden gelöscht.

Du kannst dich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO),
für uns zuständig ist: [bitte ausfüllen].
"""

PAGES = [
    ("impressum", "Impressum", IMPRESSUM),
    ("datenschutz", "Datenschutzerklärung", DATENSCHUTZ),
]


def create_pages(apps, schema_editor):
    LegalPage = apps.get_model("legal", "LegalPage")
    for slug, title, body in PAGES:
        LegalPage.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": body, "body_html": render_markdown(body)}
        )


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
