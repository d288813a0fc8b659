package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

// openedView is the view of the last views.open call, with its trigger.
func openedView(t *testing.T, api *fakeSlack) (trigger string, view map[string]any) {
	t.Helper()
	calls := api.sent("views.open")
	if len(calls) == 0 {
		t.Fatal("no views.open")
	}
	var req struct {
		TriggerID string         `json:"trigger_id"`
		View      map[string]any `json:"view"`
	}
	if err := json.Unmarshal(calls[len(calls)-1].Body, &req); err != nil {
		t.Fatal(err)
	}
	return req.TriggerID, req.View
}

// blockIDs are the block_ids of a view's input blocks.
func blockIDs(view map[string]any) []string {
	var out []string
	for _, b := range view["blocks"].([]any) {
		if blk := b.(map[string]any); blk["type"] == "input" {
			out = append(out, blk["block_id"].(string))
		}
	}
	return out
}

// submission is a signed view_submission as user, shaped like the
// example in Slack's reference ("view_submission payload"): the view with
// its id, callback_id, private_metadata and state.values by block_id and
// action_id, each value typed as its element.
func submission(t *testing.T, a *Adapter, user string, view map[string]any, values map[string]any) (int, string) {
	t.Helper()
	state := map[string]any{}
	for block, v := range values {
		switch v := v.(type) {
		case string: // plain_text_input
			state[block] = map[string]any{block: map[string]any{"type": "plain_text_input", "value": v}}
		case []string: // multi_static_select or checkboxes
			var opts []map[string]any
			for _, o := range v {
				opts = append(opts, map[string]any{"text": map[string]any{"type": "plain_text", "text": o, "emoji": true}, "value": o})
			}
			typ := "multi_static_select"
			if block == "settings" {
				typ = "checkboxes"
			}
			state[block] = map[string]any{block: map[string]any{"type": typ, "selected_options": opts}}
		case int: // static_select
			o := fmt.Sprint(v)
			state[block] = map[string]any{block: map[string]any{"type": "static_select",
				"selected_option": map[string]any{"text": map[string]any{"type": "plain_text", "text": o}, "value": o}}}
		}
	}
	payload := map[string]any{
		"type":       "view_submission",
		"team":       map[string]any{"id": "T1", "domain": "raad"},
		"user":       map[string]any{"id": user, "username": user, "name": user, "team_id": "T1"},
		"api_app_id": "A0MJRM1A7",
		"token":      "Shh_its_a_seekrit",
		"trigger_id": fmt.Sprintf("%d.1395872398.3fe8f3f6f0a1e6ae8b8e9f1b2d0e4b8e", clicks.Add(1)),
		"view": map[string]any{
			"id": "VNHU13V36", "team_id": "T1", "type": "modal",
			"title":            view["title"],
			"submit":           view["submit"],
			"blocks":           view["blocks"],
			"private_metadata": view["private_metadata"],
			"callback_id":      view["callback_id"],
			"state":            map[string]any{"values": state},
			"hash":             "156663117.cd33ad1f",
			"app_id":           "A0MJRM1A7",
			"bot_id":           "BA13894H",
		},
		"response_urls":         []any{},
		"is_enterprise_install": false,
		"enterprise":            nil,
	}
	data, _ := json.Marshal(payload)
	body := url.Values{"payload": {string(data)}}.Encode()
	rec := post(t, a.Handler(), "/slack/interactions", body, sign(testSecret, time.Now(), body), form)
	return rec.Code, rec.Body.String()
}

func TestCasusWithoutTextOpensAModalWhoseErrorsShowBesideTheFields(t *testing.T) {
	api := newFakeSlack(t)
	a, _ := newPollAdapter(t, api)
	r := slashCommand(t, a, "U1", "/casus", "")
	if r.code != http.StatusOK || r.body != "" {
		t.Fatalf("the command answered %d %q; want the modal alone", r.code, r.body)
	}
	trigger, view := openedView(t, api)
	if !strings.HasSuffix(trigger, ".1395872398.0f3eb9ddbf1a3e9c3b7c3a5b0e1f26ee") {
		t.Errorf("views.open with trigger %q, not the command's", trigger)
	}
	if view["type"] != "modal" || view["callback_id"] != formCallback || !strings.Contains(view["private_metadata"].(string), `"c":"C1"`) {
		t.Errorf("view %v", view)
	}
	if got := strings.Join(blockIDs(view), " "); got != "text values other settings max deadline remind" {
		t.Errorf("input blocks %s", got)
	}

	// A deadline Slack users type wrong: the error sits beside it, nothing is posted.
	code, body := submission(t, a, "U1", view, map[string]any{"text": energieCasus, "values": []string{"Bestaanszekerheid", "Privacy"}, "deadline": "morgen", "max": 2})
	var resp struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil || code != http.StatusOK {
		t.Fatalf("%d %q", code, body)
	}
	if resp.Action != "errors" || len(resp.Errors) != 1 || !strings.Contains(resp.Errors["deadline"], "duur=morgen") {
		t.Errorf("errors %+v", resp)
	}
	if n := len(api.sent("chat.postMessage")); n != 0 {
		t.Errorf("a refused form posted %d messages", n)
	}

	// Corrected, then sent twice (a double click): one poll.
	values := map[string]any{"text": energieCasus, "values": []string{"Bestaanszekerheid", "Privacy"}, "other": "toegankelijkheid",
		"settings": []string{"aanvullen"}, "deadline": "2d", "max": 2}
	for range 2 {
		if code, body := submission(t, a, "U1", view, values); code != http.StatusOK || body != "" {
			t.Fatalf("a valid form: %d %q (want an empty 200, which closes it)", code, body)
		}
	}
	testkit.WaitFor(t, "the poll posted", func() bool { return len(api.sent("chat.postMessage")) == 1 })
	a.wait()
	posts := api.sent("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("%d polls posted from one form", len(posts))
	}
	if got := strings.Join(buttons(lastBlocks(t, posts)), "|"); got != "Bestaanszekerheid · 0|Privacy · 0|Toegankelijkheid · 0|Waarde toevoegen|Sluit de peiling" {
		t.Errorf("buttons %s", got)
	}
}

// energieCasus is the casus of seed 003.
const energieCasus = "Mag de gemeente inkomensgegevens gebruiken om de energietoeslag automatisch toe te kennen?"

func TestTheAddValueButtonOpensAModalAndTheValueRedrawsThePoll(t *testing.T) {
	api := newFakeSlack(t)
	a, _ := newPollAdapter(t, api)
	slashCommand(t, a, "U1", "/casus", "aanvullen "+energieCasus+" | bestaanszekerheid, privacy")
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))

	// A block_actions payload as in Slack's reference, from the button.
	cb := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": "T1", "domain": "raad"},
		"user":       map[string]any{"id": "U2", "username": "bob", "name": "bob", "team_id": "T1"},
		"api_app_id": "AABA1ABCD", "token": "9s8d9as89d8as9d8as989",
		"container":    map[string]any{"type": "message", "message_ts": "1700000000.000100", "channel_id": "C1", "is_ephemeral": false},
		"trigger_id":   "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
		"channel":      map[string]any{"id": "C1", "name": "raad"},
		"response_url": "https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209",
		"actions": []any{map[string]any{"action_id": actionAdd, "block_id": "poll-" + id + "-close",
			"text": map[string]any{"type": "plain_text", "text": "Waarde toevoegen", "emoji": true}, "value": id, "type": "button", "action_ts": "1548426417.840180"}},
	}
	payload, _ := json.Marshal(cb)
	body := url.Values{"payload": {string(payload)}}.Encode()
	if rec := post(t, a.Handler(), "/slack/interactions", body, sign(testSecret, time.Now(), body), form); rec.Code != http.StatusOK {
		t.Fatalf("click: %d", rec.Code)
	}
	testkit.WaitFor(t, "views.open", func() bool { return len(api.sent("views.open")) == 1 })
	trigger, view := openedView(t, api)
	if trigger != "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3" || !strings.Contains(view["private_metadata"].(string), id) {
		t.Errorf("modal for the click: %q %v", trigger, view["private_metadata"])
	}
	code, resp := submission(t, a, "U2", view, map[string]any{"value": "Privacy"})
	if code != http.StatusOK || !strings.Contains(resp, `"response_action":"errors"`) || !strings.Contains(resp, "staat al in peiling") {
		t.Errorf("a duplicate: %d %s", code, resp)
	}
	if code, resp := submission(t, a, "U2", view, map[string]any{"value": "leefbaarheid"}); code != http.StatusOK || resp != "" {
		t.Fatalf("a new value: %d %s", code, resp)
	}
	testkit.WaitFor(t, "the redrawn poll", func() bool {
		ups := api.sent("chat.update")
		return len(ups) > 0 && strings.Contains(strings.Join(buttons(lastBlocks(t, ups)), "|"), "Leefbaarheid · 0")
	})
	if text := api.sent("chat.update")[0].Form.Get("text"); !strings.Contains(text, "toegevoegd door U2") {
		t.Errorf("the poll does not say who added it:\n%s", text)
	}
}

func TestAModalThatCannotOpenLeavesTheUsage(t *testing.T) {
	api := newFakeSlack(t)
	api.failViews = true
	a, _ := newPollAdapter(t, api)
	r := slashCommand(t, a, "U1", "/stelling", "")
	if !strings.Contains(r.body, "Typ na het commando de tekst") {
		t.Errorf("without the modal: %s", r.body)
	}
}

func TestSlackCountsTheChannelInOneCallAndRemindsPrivately(t *testing.T) {
	api := newFakeSlack(t)
	api.members = []string{"UBOT", "U1", "U2", "U3", "U4", "UAPP"}
	api.isMember, api.pageSize = true, 2
	api.bots = map[string]bool{"UAPP": true}
	api.notInChannel = map[string]bool{"U4": true}
	clock := testkit.NewClock(time.Now())
	b := bot.New(testKB, bot.Config{}, discardLog(), bot.WithStore(openStore(t)), bot.WithClock(clock.Now))
	a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: api.URL + "/api/"}, b, discardLog())
	a.botUserID = "UBOT"
	b.UseRosters(bot.Rosters{Platform: a})

	slashCommand(t, a, "U1", "/stelling", "duur=1d herinnering=23u Je moet als gemeente meer samenwerken met andere gemeenten")
	post := api.sent("chat.postMessage")[0].Form.Get("text")
	if !strings.Contains(post, "0 van 5 kanaalleden hebben gestemd") {
		t.Errorf("participation (6 members, the bot one of them):\n%s", post)
	}
	if info := api.sent("conversations.info"); len(info) != 1 || info[0].Form.Get("include_num_members") != "true" || info[0].Form.Get("channel") != "C1" {
		t.Errorf("conversations.info calls: %v", info)
	}
	if n := len(api.sent("conversations.members")); n != 3 {
		t.Errorf("the roster took %d pages, want 3 of 2", n)
	}
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	slashCommand(t, a, "U2", "/stem", id+" eens")

	clock.Add(90 * time.Minute)
	if n, err := b.RemindDue(t.Context()); n != 3 || err != nil {
		t.Fatalf("%d reminders (%v), want 3", n, err)
	}
	var eph []string
	for _, c := range api.sent("chat.postEphemeral") {
		eph = append(eph, c.Form.Get("user")+"@"+c.Form.Get("channel"))
		if !strings.Contains(c.Form.Get("text"), "Herinnering") {
			t.Errorf("reminder text %q", c.Form.Get("text"))
		}
	}
	// U4 is not shown the ephemeral message (not in the channel): a DM.
	if got := strings.Join(eph, " "); got != "U1@C1 U3@C1 U4@C1" {
		t.Errorf("ephemeral reminders %s", got)
	}
	dms := api.sent("conversations.open")
	if len(dms) != 1 || dms[0].Form.Get("users") != "U4" {
		t.Fatalf("direct messages opened: %v", dms)
	}
	if last := api.sent("chat.postMessage"); last[len(last)-1].Form.Get("channel") != "DU4" {
		t.Errorf("the DM went to %s", last[len(last)-1].Form.Get("channel"))
	}
	for _, c := range api.sent("chat.postMessage") {
		if c.Form.Get("channel") == "C1" && strings.Contains(c.Form.Get("text"), "Herinnering") {
			t.Errorf("a reminder was posted in the channel")
		}
	}
}

func TestTheCountOfALargeChannelIsOneCall(t *testing.T) {
	api := newFakeSlack(t)
	for i := range 5000 {
		api.members = append(api.members, fmt.Sprintf("U%05d", i))
	}
	api.isMember = true
	a := newTestAdapter(t, api, time.Now())
	n, err := a.MemberCount(t.Context(), bot.Destination{Platform: Platform, Channel: "C1"})
	if n != 4999 || err != nil || len(api.sent("conversations.info")) != 1 || len(api.sent("conversations.members")) != 0 || len(api.sent("users.info")) != 0 {
		t.Errorf("count %d (%v) with %d calls", n, err, len(api.calls))
	}
}

func TestWithoutTheScopeTheCountIsLeftOut(t *testing.T) {
	api := newFakeSlack(t)
	api.noScope = true
	a, b := newPollAdapter(t, api)
	b.UseRosters(bot.Rosters{Platform: a})
	slashCommand(t, a, "U1", "/stelling", "Camera's horen niet in de binnenstad")
	if post := api.sent("chat.postMessage")[0].Form.Get("text"); strings.Contains(post, "kanaalleden") {
		t.Errorf("a count without the scope:\n%s", post)
	}
}

func TestA429OnAReminderBecomesTheBotsRateLimited(t *testing.T) {
	a := newTestAdapter(t, nil, time.Now())
	err := a.rosterErr("chat.postEphemeral", &slack.RateLimitedError{RetryAfter: 7 * time.Second})
	var limited *bot.RateLimited
	if !errors.As(err, &limited) || limited.Wait != 7*time.Second {
		t.Errorf("%v", err)
	}
}
