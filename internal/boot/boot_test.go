package boot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/haproxy"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/components/tomcat"
	"github.com/hawebtier/hawebtier/internal/boot"
	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/internal/plan"
	"github.com/hawebtier/hawebtier/internal/realtool"
	"github.com/hawebtier/hawebtier/stacks"
)

const (
	stack    = "onprem-dev"
	repoPort = 8080
	// bootBudget bounds first boot (qemu start to cloud-init done) of all
	// three nodes at once under TCG; measured 10-12 min for two (BOOT-NOTES).
	bootBudget = 22 * time.Minute
)

// booted are the nodes the test boots: one of each role the chain needs.
// lb-2, web-2, app-2 and the monitor stay off: lb-1's keepalived, alone,
// becomes MASTER, and HAProxy and httpd route around their absent peers.
var booted = []string{"lb-1", "web-1", "app-1"}

// memoryMB per node: Tomcat wants more (BOOT-NOTES).
var memoryMB = map[string]int{"app-1": 1536}

// tool -> the Debian package that ships it, for the message of a missing one.
var tools = [][2]string{
	{"qemu-system-x86_64", "qemu-system-x86"}, {"qemu-img", "qemu-utils"},
	{"mmdebstrap", "mmdebstrap"}, {"genisoimage", "genisoimage"}, {"apt-ftparchive", "apt-utils"},
	{"ssh", "openssh-client"}, {"ssh-keygen", "openssh-client"}, {"curl", "curl"}, {"ip", "iproute2"},
	{"mkfs.ext4", "e2fsprogs"},
}

// needTools fails (HAWEBTIER_REAL_TOOLS=required, as .ci/test sets) or
// skips, naming the apt-get line, when a program is missing.
func needTools(t *testing.T) {
	t.Helper()
	var missing, pkgs []string
	for _, tp := range tools {
		if _, err := exec.LookPath(tp[0]); err != nil {
			missing = append(missing, tp[0])
			if !slices.Contains(pkgs, tp[1]) {
				pkgs = append(pkgs, tp[1])
			}
		}
	}
	if len(missing) > 0 {
		msg := "missing " + strings.Join(missing, ", ") + "; install with: apt-get install -y --no-install-recommends " + strings.Join(pkgs, " ")
		if realtool.InCI() {
			t.Fatal(msg + " (.ci/run installs it, as root)")
		}
		t.Skip(msg)
	}
	realtool.NeedRoot(t)
}

// toleratedWarning is a WARNING line of /var/log/cloud-init.log that is not
// ours, with where it comes from.
type toleratedWarning struct {
	re     *regexp.Regexp
	source string
}

// tolerated lists every upstream warning the test lets through, each with
// its source; any other WARNING fails it. None is needed with this image:
// the cloud-init 22.4 eni renderer's junk `dns {...}` line in
// /etc/network/interfaces.d/50-cloud-init (canonical/cloud-init PR 6253,
// BOOT-NOTES) logs no warning, and ifupdown ignores it.
var tolerated = []toleratedWarning{}

func TestBootOnPremDev(t *testing.T) {
	needTools(t)
	start := time.Now()
	// SIGTERM or SIGINT ends every wait, so the test returns and its
	// cleanups stop QEMU and delete the namespace (a signal's default
	// action would skip them).
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	t.Cleanup(stop)
	if d, ok := t.Deadline(); ok {
		// Leave time for the cleanups: a go test timeout panics past them.
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-2*time.Minute))
		t.Cleanup(cancel)
	}
	boot.RemoveStaleLabs(t.Logf)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	// A key pair of the test's own: its public half replaces the stack's
	// authorized key, its private half is the day-2 secret.
	key := filepath.Join(dir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hawebtier-boot-test", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	priv, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}

	// The program, run offline: the plan for structure and order, the mock
	// run of the same options for the secret inputs the plan masks.
	base, err := mocktest.LoadStack(root, stack)
	if err != nil {
		t.Fatal(err)
	}
	var onprem map[string]any
	if err := json.Unmarshal([]byte(base.Config["hawebtier:onprem"]), &onprem); err != nil {
		t.Fatalf("hawebtier:onprem: %v", err)
	}
	ssh, _ := onprem["ssh"].(map[string]any)
	if ssh == nil {
		t.Fatal("hawebtier:onprem has no ssh block: the stack plans no day-2 resources")
	}
	ssh["authorizedKeys"] = []string{strings.TrimSpace(string(pub))}
	onpremJSON, err := json.Marshal(onprem)
	if err != nil {
		t.Fatal(err)
	}
	overrides := map[string]string{"hawebtier:onprem": string(onpremJSON)}
	secrets := map[string]string{"hawebtier:sshPrivateKey": string(priv)}
	p, err := plan.Evaluate(ctx, stacks.Run, plan.EvalOptions{
		ProjectDir: root, Stack: stack, Config: overrides, SecretConfig: secrets,
		PlaceholderSecrets: stacks.OperatorSecretKeys(),
	})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	opts := base.WithPlaceholderSecrets(stacks.OperatorSecretKeys()...)
	for k, v := range overrides {
		opts.Config[k] = v
	}
	for k, v := range secrets {
		opts.Config[k] = v
		opts.SecretKeys = append(opts.SecretKeys, k)
	}
	opts.Preview, opts.StackOutputs = true, plan.DefaultStackOutputs()
	res, err := mocktest.Run(ctx, stacks.Run, opts)
	if err != nil {
		t.Fatalf("mock run: %v", err)
	}
	nodes, err := boot.NodesFromPlan(p, res, booted...)
	if err != nil {
		t.Fatal(err)
	}
	net := onprem["network"].(map[string]any)
	gateway, _ := net["gateway"].(string)
	subnet, err := netip.ParsePrefix(fmt.Sprint(net["subnet"]))
	if err != nil {
		t.Fatalf("hawebtier:onprem network.subnet: %v", err)
	}
	iface, _ := net["interface"].(string)
	vip, _ := onprem["vip"].(string)
	connector := base.Config["hawebtier:connector"]
	for _, n := range nodes {
		for _, c := range n.Day2 {
			if c.PrivateKey != string(priv) {
				t.Fatalf("%s: the connection's private key is not hawebtier:sshPrivateKey", c.Name)
			}
		}
	}
	userData := map[string]string{}
	for _, n := range nodes {
		userData[n.Name] = n.UserData
	}
	if how := os.Getenv(boot.EnvBreak); how != "" {
		broken, err := boot.Break(userData["web-1"], how)
		if err != nil {
			t.Fatal(err)
		}
		userData["web-1"] = broken
		t.Logf("%s=%s: web-1's user-data is broken on purpose; this run must fail", boot.EnvBreak, how)
	}

	// The image: cached by the hash of its inputs.
	repoURL := fmt.Sprintf("http://%s:%d/", gateway, repoPort)
	pkgs, err := boot.RolePackages(nodes)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	img, built, err := boot.EnsureImage(ctx, boot.DefaultCacheDir, pkgs, repoURL, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("MEASURED image %s: %s (%s)", img.Hash, time.Since(t0).Round(time.Second), map[bool]string{true: "built", false: "cached"}[built])

	lab, err := boot.NewLab(fmt.Sprintf("%s/%d", gateway, subnet.Bits()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	if err := lab.ServeRepo(img.Repo, repoPort, filepath.Join(dir, "http.log")); err != nil {
		t.Fatal(err)
	}
	sshc := boot.NewSSH(lab, key, dir)

	vms := map[string]*boot.VM{}
	for _, n := range nodes {
		vmDir := filepath.Join(dir, n.Name)
		if err := os.MkdirAll(vmDir, 0o755); err != nil {
			t.Fatal(err)
		}
		seed, err := boot.WriteSeed(vmDir, n, userData[n.Name])
		if err != nil {
			t.Fatal(err)
		}
		mem := memoryMB[n.Name]
		if mem == 0 {
			mem = 1024
		}
		a := netip.MustParseAddr(n.Address).As4()
		vm, err := lab.StartVM(boot.VMSpec{Name: n.Name, Image: img, Seed: seed, MemoryMB: mem, Dir: vmDir,
			MAC: fmt.Sprintf("52:54:00:%02x:%02x:%02x", a[1], a[2], a[3])})
		if err != nil {
			t.Fatal(err)
		}
		vms[n.Name] = vm
	}
	// Runs before lab.Close (cleanups run last first): what a failure needs.
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, n := range nodes {
			b, _ := os.ReadFile(vms[n.Name].Console)
			t.Logf("---- %s serial console (last lines)\n%s", n.Name, boot.LastLines(string(b), 25))
			r, err := sshc.Run(context.Background(), n.Address, 22, "root",
				"tail -n 40 /var/log/cloud-init-output.log; grep -E 'WARNING|ERROR|Traceback' /var/log/cloud-init.log | tail -n 20; systemctl --failed --no-legend", "", 30*time.Second)
			if err == nil {
				t.Logf("---- %s cloud-init output, warnings, failed units\n%s", n.Name, r.Stdout)
			}
		}
	})

	// First boot: ssh, then cloud-init done, each bounded.
	var wg sync.WaitGroup
	bootTimes := map[string]time.Duration{}
	var mu sync.Mutex
	deadline := time.Now().Add(bootBudget)
	for _, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vm := vms[n.Name]
			if err := sshc.WaitReachable(ctx, n.Address, "root", deadline, vm.Exited); err != nil {
				t.Errorf("%s: %v", n.Name, err)
				return
			}
			// cloud-init 22.4's `status --wait` returns as soon as a stage
			// has failed, while later stages still run; the final stage
			// writes result.json when it ends, error or not.
			wait := time.Until(deadline).Round(time.Second)
			if _, err := sshc.Run(ctx, n.Address, 22, "root", fmt.Sprintf(
				"timeout %d sh -c 'cloud-init status --wait >/dev/null; until [ -e /run/cloud-init/result.json ]; do sleep 2; done'",
				int(wait.Seconds())), "", wait+time.Minute); err != nil {
				t.Errorf("%s: cloud-init did not finish before the deadline: %v", n.Name, err)
				return
			}
			d := time.Since(vm.Started).Round(time.Second)
			mu.Lock()
			bootTimes[n.Name] = d
			mu.Unlock()
			t.Logf("MEASURED %s: qemu start to cloud-init done %s", n.Name, d)
		}()
	}
	wg.Wait()
	if len(bootTimes) < len(nodes) {
		t.FailNow()
	}
	// The checks of the nodes side by side: each ssh round trip costs
	// seconds under TCG.
	eachNode(nodes, func(n *boot.Node) { checkFirstBoot(ctx, t, sshc, n, iface, subnet.Bits(), repoURL) })
	// cloud-init's packages step read the local repository (its apt-get
	// update), the only source the VMs have.
	httpLog, _ := os.ReadFile(filepath.Join(dir, "http.log"))
	for _, n := range nodes {
		if !strings.Contains(string(httpLog), n.Address+` - - `) || !strings.Contains(string(httpLog), `"GET /Release`) {
			t.Errorf("%s never fetched the local repository's index:\n%s", n.Name, boot.LastLines(string(httpLog), 10))
		}
	}

	// Day 2: each host's commands in dependency order, the hosts side by
	// side as the engine runs independent resources.
	t1 := time.Now()
	for _, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range n.Day2 {
				tc := time.Now()
				r, err := sshc.Run(ctx, c.Host, c.Port, c.User, c.Create, c.Stdin, 12*time.Minute)
				if err != nil {
					t.Errorf("day 2 %s: %v", c.Name, err)
					return
				}
				t.Logf("day 2 %s (%s): %s", c.Name, time.Since(tc).Round(100*time.Millisecond), strings.TrimSpace(r.Stdout))
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("MEASURED day 2 (%d commands on %d hosts): %s", countCommands(nodes), len(nodes), time.Since(t1).Round(time.Second))

	// The chain: the VIP on lb-1 answers the dynamic page through HAProxy
	// -> httpd -> Tomcat.
	byName := map[string]*boot.Node{}
	for _, n := range nodes {
		byName[n.Name] = n
	}
	eachNode(nodes, func(n *boot.Node) { checkServing(ctx, t, sshc, n) })
	lb, web, app := byName["lb-1"], byName["web-1"], byName["app-1"]
	if err := poll(ctx, 3*time.Minute, func() error {
		r, err := sshc.Run(ctx, lb.Address, 22, "root", "ip -o -4 addr show dev "+iface, "", time.Minute)
		if err != nil {
			return err
		}
		if !strings.Contains(r.Stdout, " "+vip+"/") {
			return fmt.Errorf("VIP %s not on lb-1's %s: %s", vip, iface, r.Stdout)
		}
		return nil
	}); err != nil {
		t.Errorf("keepalived on lb-1 did not become MASTER: %v", err)
	}
	want := "hello from app-1"
	t2 := time.Now()
	if err := poll(ctx, 3*time.Minute, func() error {
		body, err := curl(ctx, lab, "http://"+vip+tomcat.HelloPath)
		if err != nil {
			return err
		}
		if strings.TrimSpace(body) != want {
			return fmt.Errorf("body %q, want %q", body, want)
		}
		return nil
	}); err != nil {
		t.Errorf("the VIP does not serve the dynamic page: %v", err)
	} else {
		t.Logf("MEASURED VIP %s%s answered %q %s after day 2", vip, tomcat.HelloPath, want, time.Since(t2).Round(time.Second))
	}
	checkConnector(ctx, t, sshc, web, app, connector)
	t.Logf("MEASURED whole test: %s", time.Since(start).Round(time.Second))
}

// checkFirstBoot asserts what cloud-init left, before day 2: status done
// without errors, no WARNING we do not know, the resolver and the interface
// name the metadata gave, and the template contract's other items.
func checkFirstBoot(ctx context.Context, t *testing.T, s *boot.SSH, n *boot.Node, iface string, bits int, repoURL string) {
	t.Helper()
	run := func(cmd string) string {
		// Generous: a python program (cloud-init) starts slowly under TCG
		// with three VMs on two cores.
		r, err := s.Run(ctx, n.Address, 22, "root", cmd, "", 5*time.Minute)
		if err != nil {
			t.Errorf("%s: %v", n.Name, err)
		}
		return r.Stdout
	}
	if out := run("cloud-init status --long"); !strings.Contains(out, "status: done") {
		t.Errorf("%s: cloud-init status --long: %s", n.Name, out)
	}
	var result struct {
		V1 struct {
			Errors []string `json:"errors"`
		} `json:"v1"`
	}
	if err := json.Unmarshal([]byte(run("cat /run/cloud-init/result.json")), &result); err != nil {
		t.Errorf("%s: /run/cloud-init/result.json: %v", n.Name, err)
	} else if len(result.V1.Errors) > 0 {
		t.Errorf("%s: cloud-init errors: %q", n.Name, result.V1.Errors)
	}
	for _, line := range strings.Split(strings.TrimSpace(run(`grep -F '[WARNING]' /var/log/cloud-init.log || true`)), "\n") {
		if line == "" {
			continue
		}
		if i := slices.IndexFunc(tolerated, func(w toleratedWarning) bool { return w.re.MatchString(line) }); i >= 0 {
			t.Logf("%s: tolerated upstream warning (%s): %s", n.Name, tolerated[i].source, line)
			continue
		}
		t.Errorf("%s: cloud-init warning: %s", n.Name, line)
	}
	var ns []string
	for _, l := range strings.Split(run("cat /etc/resolv.conf"), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "nameserver" {
			ns = append(ns, f[1])
		}
	}
	if !slices.Equal(ns, n.Nameservers) {
		t.Errorf("%s: /etc/resolv.conf nameservers %q, the metadata gave %q (the template needs a resolver that applies them, e.g. resolvconf with ifupdown)", n.Name, ns, n.Nameservers)
	}
	if out := run("ip -o -4 addr show dev " + iface); !strings.Contains(out, fmt.Sprintf(" %s/%d ", n.Address, bits)) {
		t.Errorf("%s: %s does not hold %s/%d: %s", n.Name, iface, n.Address, bits, out)
	}
	// The only package source is the local repository.
	sources := strings.TrimSpace(run(`grep -rhE '^[[:space:]]*(deb|deb-src|URIs:)[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true`))
	if sources == "" {
		t.Errorf("%s: no apt source at all, want only %s", n.Name, repoURL)
	}
	for _, l := range strings.Split(sources, "\n") {
		if l != "" && !strings.Contains(l, repoURL) {
			t.Errorf("%s: an apt source other than the local repository %s: %q", n.Name, repoURL, l)
		}
	}
	// The rest of the contract (README-section.md).
	if out := run(". /etc/os-release; echo $ID $VERSION_ID"); strings.TrimSpace(out) != "debian 12" {
		t.Errorf("%s: os-release: %q, the contract says Debian 12", n.Name, out)
	}
	// The template's own configuration (/etc/cloud, not what ds-identify
	// narrowed it to for this boot under /run), else cloud-init's default.
	if out := run(`python3 -c 'from cloudinit import settings, util; import cloudinit.sources.DataSourceVMware; c = util.read_conf_with_confd("/etc/cloud/cloud.cfg"); print(" ".join(c.get("datasource_list", settings.CFG_BUILTIN["datasource_list"])))'`); !slices.Contains(strings.Fields(out), "VMware") {
		t.Errorf("%s: the template's cloud-init datasource_list lacks VMware: %q", n.Name, out)
	}
	if out := run("command -v resize2fs growpart"); len(strings.Fields(out)) != 2 {
		t.Errorf("%s: resize2fs or growpart missing (e2fsprogs, cloud-guest-utils): %q", n.Name, out)
	}
	if out := run("command -v vmware-rpctool vmtoolsd"); len(strings.Fields(out)) != 2 {
		t.Errorf("%s: open-vm-tools missing (vmware-rpctool, vmtoolsd): %q", n.Name, out)
	}
	if out := run("systemctl --failed --no-legend --plain"); strings.TrimSpace(out) != "" {
		t.Errorf("%s: failed units after first boot:\n%s", n.Name, out)
	}
}

// checkServing asserts, after day 2: no failed unit, every service the
// user-data enables active, the role's health URL answering.
func checkServing(ctx context.Context, t *testing.T, s *boot.SSH, n *boot.Node) {
	t.Helper()
	services, err := boot.EnabledServices(n.UserData)
	if err != nil || len(services) == 0 {
		t.Errorf("%s: no services enabled by the user-data (%v)", n.Name, err)
	}
	if err := poll(ctx, 2*time.Minute, func() error {
		r, err := s.Run(ctx, n.Address, 22, "root", "systemctl is-active "+strings.Join(services, " "), "", time.Minute)
		if err != nil {
			return fmt.Errorf("%v %s", services, r.Stdout)
		}
		return nil
	}); err != nil {
		t.Errorf("%s: services not active after day 2: %v", n.Name, err)
	}
	r, err := s.Run(ctx, n.Address, 22, "root", "systemctl --failed --no-legend --plain", "", time.Minute)
	if err != nil || strings.TrimSpace(r.Stdout) != "" {
		t.Errorf("%s: failed units after day 2: %v\n%s", n.Name, err, r.Stdout)
	}
	var url, want string
	switch {
	case strings.HasPrefix(n.Name, "lb-"):
		url, want = fmt.Sprintf("http://%s:%d%s", n.Address, roles.LBAdminPort, haproxy.DefaultMonitorPath), ""
	case strings.HasPrefix(n.Name, "web-"):
		url, want = fmt.Sprintf("http://%s%s", n.Address, roles.DefaultHealthPath), "OK"
	case strings.HasPrefix(n.Name, "app-"):
		url, want = fmt.Sprintf("http://%s:%d%s", n.Address, roles.AppHTTPPort, tomcat.HealthPath), "OK "+n.Name
	}
	if err := poll(ctx, 3*time.Minute, func() error {
		body, err := curl(ctx, s.Lab, url)
		if err != nil {
			return err
		}
		if want != "" && strings.TrimSpace(body) != want {
			return fmt.Errorf("%s: body %q, want %q", url, body, want)
		}
		return nil
	}); err != nil {
		t.Errorf("%s: health URL: %v", n.Name, err)
	}
}

// checkConnector asserts that httpd reaches Tomcat with the connector the
// stack names: the module loaded and the balancer member's scheme.
func checkConnector(ctx context.Context, t *testing.T, s *boot.SSH, web, app *boot.Node, connector string) {
	t.Helper()
	want, ok := map[string]struct{ module, member string }{
		"proxy_http": {"proxy_http_module", fmt.Sprintf("http://%s:%d", app.Address, roles.AppHTTPPort)},
		"proxy_ajp":  {"proxy_ajp_module", "ajp://" + app.Address},
		"jk":         {"jk_module", "JkMount"},
	}[connector]
	module, member := want.module, want.member
	if !ok {
		t.Errorf("unknown connector %q", connector)
		return
	}
	r, err := s.Run(ctx, web.Address, 22, "root", "apache2ctl -M 2>/dev/null; cat /etc/apache2/apache2.conf", "", time.Minute)
	if err != nil {
		t.Errorf("web-1: %v", err)
		return
	}
	if !strings.Contains(r.Stdout, " "+module+" ") || !strings.Contains(r.Stdout, member) {
		t.Errorf("web-1: connector %s: want module %s loaded and %q in apache2.conf", connector, module, member)
	}
}

// curl fetches url from inside the lab (the bridge's side).
func curl(ctx context.Context, lab *boot.Lab, url string) (string, error) {
	out, err := lab.CommandContext(ctx, "curl", "-fsS", "--max-time", "10", url).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("curl %s: %w: %s", url, err, out)
	}
	return string(out), nil
}

// poll retries f every 2 s until it succeeds or the bound passes.
func poll(ctx context.Context, bound time.Duration, f func() error) error {
	deadline := time.Now().Add(bound)
	for {
		err := f()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("after %s: %w", bound, err)
		}
		time.Sleep(2 * time.Second)
	}
}

// eachNode runs f for every node at once and waits for all.
func eachNode(nodes []*boot.Node, f func(*boot.Node)) {
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(n)
		}()
	}
	wg.Wait()
}

func countCommands(nodes []*boot.Node) int {
	n := 0
	for _, x := range nodes {
		n += len(x.Day2)
	}
	return n
}
