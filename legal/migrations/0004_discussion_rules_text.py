"""Creates the Diskussionsregeln with a German default (DSA Art. 14: terms readers can read).

It describes what this code does (comments/moderation.py, comments/rules.py): pre-moderation,
the automatic rules, readers' reports. The operator fills in the "[bitte ausfüllen]" places
(the contact address for objections) and adapts the rules; saving in the admin is refused
while a placeholder is left.
"""

from django.db import migrations

from reports.rendering import render_markdown

DISKUSSIONSREGELN = """\
Wir freuen uns über deinen Kommentar. Damit die Diskussion für alle lesenswert bleibt, gelten
diese Regeln. Sie sagen, was willkommen ist, was wir entfernen, welche Regeln die Website
automatisch anwendet und wie du uns widersprechen kannst.

## Was willkommen ist

Kritik, Widerspruch, Ergänzungen, Fragen und Erfahrungen zum Bericht, auch scharf formuliert,
solange sie sich an die Sache halten. Quellen sind willkommen; verlinke sie.

## Was wir entfernen

Wir schalten Kommentare nicht frei oder entfernen sie, wenn sie gegen eine dieser Regeln
verstoßen. In unserer Begründung nennen wir die Nummer der Regel.

1. **Rechtswidrige Inhalte:** zum Beispiel Beleidigung, üble Nachrede, Volksverhetzung,
   Bedrohung, Aufrufe zu Straftaten oder Verletzungen des Urheberrechts.
2. **Angriffe auf Personen:** Beschimpfungen, Herabwürdigung wegen Herkunft, Geschlecht,
   Religion, Behinderung, Alter oder sexueller Orientierung, Belästigung anderer
   Kommentierender.
3. **Persönliche Daten anderer:** Adressen, Telefonnummern, E-Mail-Adressen oder andere
   private Angaben über Menschen, die sie nicht selbst veröffentlicht haben.
4. **Spam und Werbung:** Werbung, Kettenbriefe, derselbe Text mehrfach, Links ohne Bezug zur
   Diskussion.
5. **Ohne Bezug zum Bericht:** Beiträge, die mit dem Bericht und der Diskussion darüber nichts
   zu tun haben.
6. **Täuschung:** unter fremdem Namen schreiben oder gezielt Falschinformationen verbreiten,
   die anderen schaden können.

## Vorabprüfung

Kommentare erscheinen erst, wenn die Moderation sie freigeschaltet hat. Bis dahin siehst nur
du deinen Kommentar, mit dem Hinweis „Dein Kommentar wartet auf Freischaltung.“ Hast du
schon freigeschaltete Kommentare geschrieben, kann ein neuer sofort erscheinen, wenn die
Moderation das eingeschaltet hat. Wir moderieren von Hand; es kann dauern, bis wir deinen
Kommentar sehen.

## Was die Website automatisch prüft

Bevor ein Mensch einen Kommentar sieht, wendet die Website einige feste Regeln an. Sie
entscheiden nur, ob ein Kommentar auf Freischaltung wartet oder als Spam gilt; sie werten
keine Meinungen aus und sie nutzen keine künstliche Intelligenz.

- **Zu viele Links:** Ein Kommentar mit vielen Links wartet immer auf Freischaltung.
- **Wortlisten:** Die Moderation führt eine Liste von Wörtern, bei denen ein Kommentar auf
  Freischaltung wartet, und eine, bei denen er als Spam gilt.
- **Zu schnell hintereinander:** Von derselben Adresse oder E-Mail-Adresse nimmt die Website
  nur alle paar Sekunden einen Kommentar oder eine Meldung an; du bekommst dann einen Hinweis
  und kannst es gleich noch einmal schicken.
- **Doppelte Kommentare:** Denselben Text nimmt die Website zu einem Bericht nur einmal an.
- **Sperrliste:** Kommentare von gesperrten E-Mail-Adressen oder Netzen gelten als Spam. Wir
  sperren nur nach wiederholten oder schweren Verstößen.
- **Zu schnelle Formulare:** Ein Formular, das schneller abgeschickt wird, als ein Mensch
  tippen kann, oder ein für Menschen unsichtbares Feld, das ausgefüllt wurde, deutet auf ein
  Programm hin; der Kommentar gilt dann als Spam. Ein Formular ohne JavaScript wartet auf
  Freischaltung.
- **Meldungen:** Wenn die Moderation das eingeschaltet hat, wartet ein freigeschalteter
  Kommentar nach einer bestimmten Zahl von Meldungen wieder auf Prüfung.

Was als Spam gilt, sieht die Moderation in einer eigenen Liste und kann es freischalten.

## Kommentare melden

Unter jedem Kommentar steht „Melden“. Wähle einen Grund, erkläre ihn, wenn du magst, und gib
eine E-Mail-Adresse an, wenn du über unsere Entscheidung informiert werden willst. Jede
Meldung landet bei der Moderation; sie prüft den Kommentar anhand dieser Regeln und des
Rechts. Bei rechtswidrigen Inhalten hilft uns, wenn du genau sagst, was du für rechtswidrig
hältst und warum.

## Wie wir Entscheidungen begründen

Schalten wir deinen Kommentar nicht frei oder entfernen wir ihn, nennen wir dir den Grund: die
Regel, gegen die er verstößt, oder das Gesetz, das er verletzt, ob eine Meldung der Anlass
war und ob automatische Regeln beteiligt waren. Hast du eine E-Mail-Adresse angegeben,
schreiben wir dir; sonst bekommst du die Begründung auf Nachfrage. Wer einen Kommentar
gemeldet und eine E-Mail-Adresse angegeben hat, erfährt unsere Entscheidung ebenfalls.

## Widerspruch

Hältst du eine Entscheidung für falsch, schreib uns innerhalb von sechs Monaten an
[bitte ausfüllen], mit dem Namen, unter dem du geschrieben hast, dem Bericht und ungefähr dem
Datum deines Kommentars. Ein Mensch aus der Moderation prüft den Fall noch einmal, nicht
automatisch, und antwortet dir. Dein Recht, dich an ein Gericht zu wenden,
bleibt davon unberührt.
"""


def create_page(apps, schema_editor):
    LegalPage = apps.get_model("legal", "LegalPage")
    LegalPage.objects.get_or_create(
        slug="diskussionsregeln",
        defaults={
            "title": "Diskussionsregeln",
            "body": DISKUSSIONSREGELN,
            "body_html": render_markdown(DISKUSSIONSREGELN),
        },
    )


def delete_page(apps, schema_editor):
    apps.get_model("legal", "LegalPage").objects.filter(slug="diskussionsregeln").delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0003_discussion_rules_page")]

    operations = [migrations.RunPython(create_page, delete_page)]
