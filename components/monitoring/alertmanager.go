package monitoring

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Receiver kinds.
const (
	// ReceiverNone keeps alerts in Alertmanager's UI and API only (the zero
	// Receiver is this kind).
	ReceiverNone = "none"
	// ReceiverEmail sends mail through a smarthost.
	ReceiverEmail = "email"
	// ReceiverWebhook POSTs Alertmanager's JSON to a URL.
	ReceiverWebhook = "webhook"
)

// Severities the rules set and Alertmanager routes on.
const (
	SeverityPage   = "page"   // users are affected now
	SeverityTicket = "ticket" // redundancy or capacity is reduced
)

// Receiver is where one severity of alerts goes.
type Receiver struct {
	// Kind is ReceiverEmail, ReceiverWebhook or ReceiverNone ("" means
	// none).
	Kind string
	// Email: Smarthost is host:port; From one address; To one or more
	// addresses separated by commas.
	Smarthost string
	From      string
	To        string
	// AuthUsername and AuthPasswordFile log in to the smarthost. The
	// password never enters alertmanager.yml (which cloud-init user-data
	// carries): the node receives the file another way.
	AuthUsername     string
	AuthPasswordFile string
	// NoTLS lets Alertmanager talk to a smarthost without STARTTLS (a
	// relay on the same network); by default TLS is required.
	NoTLS bool
	// Webhook: URL receives the POST; BearerTokenFile, when set, is sent
	// as the Authorization bearer token (a URL itself must not carry a
	// secret: it is written in plain text).
	URL             string
	BearerTokenFile string
}

// AlertmanagerConfig routes alerts by severity.
type AlertmanagerConfig struct {
	// Page receives severity="page" alerts.
	Page Receiver
	// Ticket receives severity="ticket" alerts and anything unrouted.
	Ticket Receiver
}

// Receiver names in alertmanager.yml.
const (
	ReceiverNamePage   = "page"
	ReceiverNameTicket = "ticket"
)

func (a AlertmanagerConfig) validate() []error {
	var errs []error
	for field, r := range map[string]Receiver{"page": a.Page, "ticket": a.Ticket} {
		for _, err := range r.validate() {
			errs = append(errs, fmt.Errorf("monitoring: alertmanager.%s.%w", field, err))
		}
	}
	return errs
}

func (r Receiver) validate() []error {
	var errs []error
	add := func(field string, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{field}, args...)...))
	}
	absFile := func(field, v string) {
		if v != "" && (!strings.HasPrefix(v, "/") || strings.ContainsAny(v, " \n")) {
			add(field, "%q is not an absolute path", v)
		}
	}
	// Fields of the other kind are a mistake: say so rather than ignore.
	emailSet := r.Smarthost != "" || r.From != "" || r.To != "" || r.AuthUsername != "" || r.AuthPasswordFile != "" || r.NoTLS
	webhookSet := r.URL != "" || r.BearerTokenFile != ""
	switch r.Kind {
	case "", ReceiverNone:
		if emailSet || webhookSet {
			add("kind", "is none but receiver settings are given; set kind to email or webhook")
		}
	case ReceiverEmail:
		if host, port, err := net.SplitHostPort(r.Smarthost); err != nil || checkAddress(host) != nil {
			add("smarthost", "%q is not host:port", r.Smarthost)
		} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			add("smarthost", "%q has no valid port", r.Smarthost)
		}
		if _, err := mail.ParseAddress(r.From); err != nil {
			add("from", "%q: %v", r.From, err)
		}
		if _, err := mail.ParseAddressList(r.To); err != nil {
			add("to", "%q: %v", r.To, err)
		}
		if (r.AuthUsername == "") != (r.AuthPasswordFile == "") {
			add("authPasswordFile", "authUsername and authPasswordFile go together")
		}
		absFile("authPasswordFile", r.AuthPasswordFile)
		if webhookSet {
			add("url", "is a webhook setting on an email receiver")
		}
	case ReceiverWebhook:
		if u, err := url.Parse(r.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("url", "%q is not an http(s) URL", r.URL)
		} else if u.User != nil {
			add("url", "carries credentials; use bearerTokenFile")
		}
		absFile("bearerTokenFile", r.BearerTokenFile)
		if emailSet {
			add("smarthost", "email settings on a webhook receiver")
		}
	default:
		add("kind", "unknown receiver kind %q (want %s, %s or %s)", r.Kind, ReceiverEmail, ReceiverWebhook, ReceiverNone)
	}
	return errs
}

type amEmail struct {
	To               string `yaml:"to"`
	From             string `yaml:"from"`
	Smarthost        string `yaml:"smarthost"`
	AuthUsername     string `yaml:"auth_username,omitempty"`
	AuthPasswordFile string `yaml:"auth_password_file,omitempty"`
	RequireTLS       bool   `yaml:"require_tls"`
	SendResolved     bool   `yaml:"send_resolved"`
}

type amWebhook struct {
	URL          string        `yaml:"url"`
	SendResolved bool          `yaml:"send_resolved"`
	HTTPConfig   *amHTTPConfig `yaml:"http_config,omitempty"`
}

type amHTTPConfig struct {
	Authorization struct {
		Type            string `yaml:"type"`
		CredentialsFile string `yaml:"credentials_file"`
	} `yaml:"authorization"`
}

type amReceiver struct {
	Name     string      `yaml:"name"`
	Email    []amEmail   `yaml:"email_configs,omitempty"`
	Webhooks []amWebhook `yaml:"webhook_configs,omitempty"`
}

type amRoute struct {
	Receiver       string    `yaml:"receiver"`
	Matchers       []string  `yaml:"matchers,omitempty"`
	GroupBy        []string  `yaml:"group_by,omitempty"`
	GroupWait      string    `yaml:"group_wait,omitempty"`
	GroupInterval  string    `yaml:"group_interval,omitempty"`
	RepeatInterval string    `yaml:"repeat_interval,omitempty"`
	Routes         []amRoute `yaml:"routes,omitempty"`
}

type amInhibit struct {
	SourceMatchers []string `yaml:"source_matchers"`
	TargetMatchers []string `yaml:"target_matchers"`
	Equal          []string `yaml:"equal"`
}

type amFile struct {
	Route     amRoute      `yaml:"route"`
	Receivers []amReceiver `yaml:"receivers"`
	Inhibit   []amInhibit  `yaml:"inhibit_rules"`
}

func (r Receiver) render(name string) amReceiver {
	out := amReceiver{Name: name}
	switch r.Kind {
	case ReceiverEmail:
		out.Email = []amEmail{{
			To: r.To, From: r.From, Smarthost: r.Smarthost,
			AuthUsername: r.AuthUsername, AuthPasswordFile: r.AuthPasswordFile,
			RequireTLS: !r.NoTLS, SendResolved: true,
		}}
	case ReceiverWebhook:
		w := amWebhook{URL: r.URL, SendResolved: true}
		if r.BearerTokenFile != "" {
			w.HTTPConfig = &amHTTPConfig{}
			w.HTTPConfig.Authorization.Type = "Bearer"
			w.HTTPConfig.Authorization.CredentialsFile = r.BearerTokenFile
		}
		out.Webhooks = []amWebhook{w}
	}
	return out
}

// inhibitRules: when the VIP answers nobody, the per-server alerts are
// symptoms of the same outage; a backend with no server left explains each
// of its servers being down; a web server not serving explains its
// exporters not answering.
func inhibitRules() []amInhibit {
	return []amInhibit{
		{
			SourceMatchers: []string{`alertname="` + AlertVIPNotAnswering + `"`},
			TargetMatchers: []string{`alertname=~"` + strings.Join([]string{
				AlertAppPageFailing, AlertWebServerNotServing, AlertAppServerNotServing,
				AlertHAProxyServerDown, AlertHAProxyBackendNoServers, AlertHTTP5xxRateHigh,
			}, "|") + `"`},
			Equal: []string{"environment"},
		},
		{
			SourceMatchers: []string{`alertname="` + AlertHAProxyBackendNoServers + `"`},
			TargetMatchers: []string{`alertname="` + AlertHAProxyServerDown + `"`},
			Equal:          []string{"environment", "instance", "proxy"},
		},
		{
			SourceMatchers: []string{`alertname="` + AlertWebServerNotServing + `"`},
			TargetMatchers: []string{`alertname="` + AlertScrapeTargetDown + `"`},
			Equal:          []string{"environment", "node"},
		},
	}
}

func renderAlertmanager(c Config) (string, error) {
	f := amFile{
		Route: amRoute{
			Receiver:       ReceiverNameTicket,
			GroupBy:        []string{"alertname", "environment", "node"},
			GroupWait:      "30s",
			GroupInterval:  "5m",
			RepeatInterval: "12h",
			Routes: []amRoute{
				// Pages wait less and repeat sooner than tickets.
				{Receiver: ReceiverNamePage, Matchers: []string{`severity="` + SeverityPage + `"`}, GroupWait: "10s", RepeatInterval: "1h"},
				{Receiver: ReceiverNameTicket, Matchers: []string{`severity="` + SeverityTicket + `"`}},
			},
		},
		Receivers: []amReceiver{c.Alertmanager.Page.render(ReceiverNamePage), c.Alertmanager.Ticket.render(ReceiverNameTicket)},
		Inhibit:   inhibitRules(),
	}
	return marshal("alertmanager.yml", f)
}

func marshal(what string, v any) (string, error) {
	var b strings.Builder
	b.WriteString("# Rendered by hawebtier components/monitoring; do not edit.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("monitoring: %s: %w", what, err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("monitoring: %s: %w", what, err)
	}
	return b.String(), nil
}
