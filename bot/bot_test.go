package bot

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/knowledge"
)

var testKB = knowledge.MustLoad()

func newTestBot(t testing.TB, lang string) *Bot {
	t.Helper()
	return New(testKB, Config{Lang: lang}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func ask(t testing.TB, b *Bot, text string) Reply {
	t.Helper()
	r := b.HandleText(context.Background(), Request{Platform: "test", Channel: "C1", User: "U1"}, text)
	// fmt marks a bad verb as %!d(…), %!(EXTRA …) or %!v(MISSING); input
	// that contains "%!" once cleaned may be quoted back.
	if fmtError.MatchString(r.Text) && !strings.Contains(CleanInput(text), "%!") {
		t.Errorf("reply to %q has a formatting error:\n%s", text, r.Text)
	}
	return r
}

// fmtError matches what fmt writes for a bad verb or argument.
var fmtError = regexp.MustCompile(`%!\w?\(`)

// pings matches a mention that would notify a whole channel.
var pings = regexp.MustCompile(`(?i)(^|[^\x{2060}])@(channel|here|all|everyone)\b|<!(channel|here|everyone|subteam)`)

func TestWaardeAnswers(t *testing.T) {
	b := newTestBot(t, "nl")
	tests := []struct {
		name   string
		text   string
		want   []string
		status Status
	}{
		{"value card", "/waarde privacy", []string{"**Privacy**", "**Vrijheid**", "gaat over autonoom leven",
			"Burgers moeten erop kunnen vertrouwen dat de gemeente zich netjes aan de regels voor privacy houdt.",
			"Burgers moeten zich te allen tijde en overal vrij en onbespied voelen.", "Beveiliging", "toevoeging van waardenbot"}, Answered},
		{"without slash, as in a mention", "waarde privacy", []string{"**Privacy**"}, Answered},
		{"typo corrected and said", "/waarde privasy", []string{"Bedoelde je **Privacy**?", "privasy"}, Answered},
		{"cluster", "/waarde hierarchie", []string{"**Hiërarchie**", "Controle", "Gezag", "Orde", "Vertrouwen", "Zeggenschap"}, Answered},
		{"overview", "/waarde", []string{"9 waardenclusters, 30 waarden", "Vrijheid", "Nut", "Doeltreffendheid"}, Answered},
		{"related term", "/waarde transparantie", []string{"staat niet op de Waardenkaart", "**Openheid**", "toevoeging van waardenbot"}, Answered},
		{"free text in opinions", "/waarde airbnb", []string{"komt voor in deze opvattingen", "Wederkerigheid", "lusten"}, Answered},
		{"free text in questions", "/waarde camera", []string{"Toezicht en handhaving"}, Answered},
		{"theme asked as value", "/waarde beveiliging", []string{"is een thema", "/vragen beveiliging"}, Answered},
		{"nothing found", "/waarde xyzzy", []string{"Ik vond niets voor ‘xyzzy’", "Bedoelde je misschien"}, NotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ask(t, b, tc.text)
			for _, w := range tc.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("reply lacks %q:\n%s", w, r.Text)
				}
			}
			if r.Status != tc.status {
				t.Errorf("status = %v, want %v", r.Status, tc.status)
			}
			if tc.status == Answered && strings.Count(r.Text, "Digitalisering in beeld") != 1 {
				t.Errorf("reply should cite the book exactly once:\n%s", r.Text)
			}
		})
	}
}

func TestVragenAnswers(t *testing.T) {
	b := newTestBot(t, "nl")
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"theme", "/vragen beveiliging", []string{"**Beveiliging**", "Vragenkaart gemeentelijke processen", "bedrijfsvoering",
			"1. Voldoet onze gemeente aan de Algemene Verordening Gegevensbescherming en andere privacyregels?"}},
		{"theme by inner words", "/vragen ict beheer", []string{"**Ict-beheer**", "open source software"}},
		{"theme by words inside", "/vragen openbare ruimte", []string{"Ontwikkeling en beheer openbare ruimte", "slimme straatlantaarns"}},
		{"group", "/vragen bestuur", []string{"**bestuur**", "Besluitvorming", "Participatie", "digitaliseringsparagraaf"}},
		{"both cards", "/vragen", []string{"Vragenkaart gemeentelijke processen", "Vragenkaart belanghebbenden", "publieke partijen", "Overheden"}},
		{"card", "/vragen belanghebbenden", []string{"Vragenkaart belanghebbenden", "particulieren", "Winkeliers"}},
		{"free text 5g", "/vragen 5g", []string{"Aanbieders telecominfrastructuur", "antennes"}},
		{"free text camera", "/vragen camera", []string{"Toezicht en handhaving", "camera's in de openbare ruimte"}},
		{"free text algoritme", "/vragen algoritme", []string{"Ict-beheer", "algoritmen"}},
		{"value gives its themes", "/vragen privacy", []string{"**Privacy** is een waarde", "Beveiliging"}},
		{"two themes share a word", "/vragen aanbieders", []string{"Aanbieders telecominfrastructuur", "Aanbieders van ict-diensten"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ask(t, b, tc.text)
			if r.Status != Answered {
				t.Errorf("status = %v", r.Status)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("reply lacks %q:\n%s", w, r.Text)
				}
			}
		})
	}
}

func TestHelpAndUnknownCommands(t *testing.T) {
	b := newTestBot(t, "nl")
	r := ask(t, b, "/help")
	if !r.Ephemeral || !strings.Contains(r.Text, "/waarde") || !strings.Contains(r.Text, "/vragen") {
		t.Errorf("help: %+v", r)
	}
	r = ask(t, b, "/waarden privacy")
	if r.Status != Refused || !strings.Contains(r.Text, "Bedoelde je `/waarde`?") {
		t.Errorf("unknown command: %+v", r)
	}
	if r := ask(t, b, ""); !strings.Contains(r.Text, "/waarde") {
		t.Errorf("empty text should give help, got %q", r.Text)
	}
}

func TestBadInputGetsAClearReplyAndNeverPings(t *testing.T) {
	b := newTestBot(t, "nl")
	tests := []struct {
		name   string
		text   string
		status Status
		want   string
	}{
		{"10,000 characters", "/waarde " + strings.Repeat("privacy ", 1250), Refused, "te lang"},
		{"control characters", "/waarde pri\x00va\x07cy", Answered, "**Privacy**"},
		{"invalid UTF-8", "/waarde \xff\xfeprivacy", Answered, "Privacy"},
		{"zero-width characters", "/waarde pri\u200bvacy", Answered, "**Privacy**"},
		{"@channel", "/waarde @channel", NotFound, "niets"},
		{"@here in a word", "/vragen camera @here", Answered, "Toezicht"},
		{"slack broadcast", "/waarde <!everyone>", NotFound, "niets"},
		{"slack subteam", "/waarde <!subteam^S123|raad>", Answered, "Besluitvorming"},
		{"markdown", "/waarde *vet* `code` [link](x)", NotFound, `\*vet\*`},
		{"smart quotes and spaces", "/waarde   “privacy”  ", Answered, "**Privacy**"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ask(t, b, tc.text)
			if r.Text == "" {
				t.Fatal("empty reply")
			}
			if r.Status != tc.status || !strings.Contains(r.Text, tc.want) {
				t.Errorf("status %v, want %v; reply lacks %q:\n%s", r.Status, tc.status, tc.want, r.Text)
			}
			if pings.MatchString(r.Text) {
				t.Errorf("reply would ping a channel:\n%s", r.Text)
			}
		})
	}
}

func TestEnglishInterface(t *testing.T) {
	b := newTestBot(t, "en")
	r := ask(t, b, "/waarde privacy")
	if !strings.Contains(r.Text, "value in the cluster") || !strings.Contains(r.Text, "Burgers moeten zich te allen tijde") {
		t.Errorf("english card: %s", r.Text)
	}
	if r := ask(t, b, "/waarde xyzzy"); !strings.Contains(r.Text, "I found nothing") {
		t.Errorf("english not found: %s", r.Text)
	}
}

func TestCatalogsHaveTheSameKeysAndVerbs(t *testing.T) {
	verbs := regexp.MustCompile(`%(\[\d+\])?[a-z]`)
	for k, nl := range dutch {
		en, ok := english[k]
		if !ok {
			t.Errorf("english lacks %q", k)
			continue
		}
		// A message that counts has a singular and a plural form in
		// both languages, each with the same verbs in both.
		nlForms, enForms := strings.Split(nl, plural), strings.Split(en, plural)
		if len(nlForms) != len(enForms) || len(nlForms) > 2 {
			t.Errorf("%q: %d forms in Dutch, %d in English; want one, or a singular and a plural in both", k, len(nlForms), len(enForms))
			continue
		}
		for i := range nlForms {
			if a, b := verbs.FindAllString(nlForms[i], -1), verbs.FindAllString(enForms[i], -1); strings.Join(a, "") != strings.Join(b, "") {
				t.Errorf("%q: verbs differ: nl %v, en %v", k, a, b)
			}
		}
		if len(nlForms) == 2 && (!strings.Contains(nlForms[1], "%d") || !strings.Contains(enForms[1], "%d")) {
			t.Errorf("%q: the plural form does not show the count", k)
		}
	}
	for k := range english {
		if _, ok := dutch[k]; !ok {
			t.Errorf("dutch lacks %q", k)
		}
	}
	for _, c := range commandTable() {
		if _, ok := dutch["help."+c.name]; !ok {
			t.Errorf("no help line for /%s", c.name)
		}
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct{ in, cmd, args string }{
		{"/waarde privacy", "waarde", "privacy"},
		{"waarde privacy", "waarde", "privacy"},
		{"  /WAARDE   privacy  ", "waarde", "privacy"},
		{"/vragen", "vragen", ""},
		{"/casus “Mag dit?” | privacy", "casus", `"Mag dit?" | privacy`},
		{"/vragen ict\u00a0beheer", "vragen", "ict beheer"},
		{"/waarde a\nb\tc", "waarde", "a b c"},
		{"", "", ""},
	}
	for _, tc := range tests {
		cmd, args := ParseCommand(tc.in)
		if cmd != tc.cmd || args != tc.args {
			t.Errorf("ParseCommand(%q) = %q, %q; want %q, %q", tc.in, cmd, args, tc.cmd, tc.args)
		}
	}
}

func TestNeutralizeBreaksBroadcastMentions(t *testing.T) {
	for _, s := range []string{"@channel", "@Here", "hi @all!", "@everyone", "<!channel>", "<!here|here>", "<!everyone>", "<!subteam^S1>"} {
		if got := Neutralize(s); pings.MatchString(got) {
			t.Errorf("Neutralize(%q) = %q still pings", s, got)
		}
	}
	if got := Neutralize("mail@example.org en @piet"); got != "mail@example.org en @piet" {
		t.Errorf("Neutralize changed ordinary text: %q", got)
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/waarde privacy", "waarde", "/vragen “ict”  beheer", "\xff/\x00", "/casus anoniem max=3 | a, b", "/"} {
		f.Add(s)
	}
	b := newTestBot(f, "nl")
	f.Fuzz(func(t *testing.T, text string) {
		cmd, args := ParseCommand(text)
		if strings.ContainsAny(cmd+args, "\x00\n\t") || strings.Contains(args, "  ") {
			t.Fatalf("ParseCommand(%q) left control characters or double spaces: %q %q", text, cmd, args)
		}
		r := ask(t, b, text)
		if strings.TrimSpace(r.Text) == "" {
			t.Fatalf("empty reply to %q", text)
		}
		if pings.MatchString(r.Text) {
			t.Fatalf("reply to %q pings a channel: %q", text, r.Text)
		}
	})
}

func BenchmarkWaardeExact(b *testing.B)    { benchAsk(b, "/waarde privacy") }
func BenchmarkWaardeTypo(b *testing.B)     { benchAsk(b, "/waarde privasy") }
func BenchmarkWaardeFreeText(b *testing.B) { benchAsk(b, "/waarde algoritme") }
func BenchmarkVragenTheme(b *testing.B)    { benchAsk(b, "/vragen beveiliging") }
func BenchmarkVragenWords(b *testing.B)    { benchAsk(b, "/vragen openbare ruimte") }
func BenchmarkVragenFreeText(b *testing.B) { benchAsk(b, "/vragen camera") }

func benchAsk(b *testing.B, text string) {
	bot := newTestBot(b, "nl")
	b.ReportAllocs()
	for b.Loop() {
		if r := ask(b, bot, text); r.Status != Answered {
			b.Fatalf("%q: %v", text, r.Status)
		}
	}
}
