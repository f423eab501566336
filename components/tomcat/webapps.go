package tomcat

import (
	"maps"
	"slices"
)

// Files maps a path under CATALINA_BASE/webapps to its content.
type Files map[string]string

// Names returns the paths in a stable order.
func (f Files) Names() []string { return slices.Sorted(maps.Keys(f)) }

// URL paths of the pages Webapps ships.
const (
	HelloPath   = "/app/hello.jsp"      // "hello from <jvmRoute>\n", no session
	SessionPath = "/app/session.jsp"    // "route=<jvmRoute> session=<id> hits=<n>\n", creates a session
	HealthPath  = "/app/health.jsp"     // "OK <jvmRoute>\n": httpd's balancer health check
	StatusPath  = "/status/metrics.jsp" // Prometheus text format; loopback and StatusAllow only
)

// Webapps returns the webapps every app server runs: "app" (context /app,
// the dynamic pages of the lab and the health page) and "status" (context
// /status, restricted by server.xml). They are the same on every node: the
// pages read the node's jvmRoute from Tomcat's Engine MBean.
func Webapps() Files {
	return Files{
		"app/WEB-INF/jspf/route.jspf":    routeJSPF,
		"app/hello.jsp":                  helloJSP,
		"app/session.jsp":                sessionJSP,
		"app/health.jsp":                 healthJSP,
		"app/index.html":                 "<!doctype html><title>app</title><p>See <a href=\"hello.jsp\">hello.jsp</a>.</p>\n",
		"status/WEB-INF/jspf/route.jspf": routeJSPF,
		"status/metrics.jsp":             metricsJSP,
	}
}

// routeJSPF is statically included: route() is the Engine's jvmRoute.
const routeJSPF = `<%@ page import="java.lang.management.ManagementFactory,javax.management.ObjectName" %><%!
    private static volatile String jvmRoute;

    /** The Engine's jvmRoute (server.xml), read once from its MBean. */
    static String route() {
        String r = jvmRoute;
        if (r != null) {
            return r;
        }
        try {
            Object v = ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName("Catalina:type=Engine"), "jvmRoute");
            r = v == null ? "" : v.toString();
            jvmRoute = r;
            return r;
        } catch (Exception e) {
            return "unknown";
        }
    }
%>`

const helloJSP = `<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/route.jspf" %><%
    out.print("hello from " + route() + "\n");
%>`

const sessionJSP = `<%@ page contentType="text/plain; charset=UTF-8" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/route.jspf" %><%
    Integer hits = (Integer) session.getAttribute("hits");
    hits = hits == null ? 1 : hits + 1;
    session.setAttribute("hits", hits);
    out.print("route=" + route() + " session=" + session.getId() + " hits=" + hits + "\n");
%>`

const healthJSP = `<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/route.jspf" %><%
    response.setHeader("Cache-Control", "no-store");
    out.print("OK " + route() + "\n");
%>`

// metricsJSP writes Tomcat's connector, session and memory figures in the
// Prometheus text format, so Prometheus scrapes Tomcat without an agent.
const metricsJSP = `<%@ page contentType="text/plain; version=0.0.4; charset=UTF-8" session="false" trimDirectiveWhitespaces="true"
    import="java.lang.management.*,javax.management.*,java.util.*" %><%@ include file="/WEB-INF/jspf/route.jspf" %><%!
    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String key(ObjectName o, String k) {
        String v = o.getKeyProperty(k);
        if (v == null) {
            return "";
        }
        try {
            return ObjectName.unquote(v);
        } catch (IllegalArgumentException e) {
            return v;
        }
    }

    private static double num(MBeanServer m, ObjectName o, String attr) {
        try {
            Object v = m.getAttribute(o, attr);
            return v instanceof Number ? ((Number) v).doubleValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** One metric family: HELP and TYPE once, then its samples. */
    private static final class Family {
        final String name, help, type;
        final StringBuilder samples = new StringBuilder();
        Family(String name, String type, String help) { this.name = name; this.type = type; this.help = help; }
        void add(String label, String value, double v) {
            samples.append(name);
            if (label != null) {
                samples.append('{').append(label).append("=\"").append(esc(value)).append("\"}");
            }
            samples.append(' ').append(v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v)).append('\n');
        }
        void writeTo(StringBuilder b) {
            if (samples.length() == 0) {
                return;
            }
            b.append("# HELP ").append(name).append(' ').append(help).append('\n');
            b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            b.append(samples);
        }
    }

    private static List<ObjectName> query(MBeanServer m, String pattern) throws MalformedObjectNameException {
        List<ObjectName> names = new ArrayList<>(m.queryNames(new ObjectName(pattern), null));
        names.sort(Comparator.comparing(ObjectName::getCanonicalName));
        return names;
    }
%><%
    response.setHeader("Cache-Control", "no-store");
    MBeanServer m = ManagementFactory.getPlatformMBeanServer();
    Family info = new Family("tomcat_info", "gauge", "Tomcat node identity (jvmRoute).");
    Family up = new Family("tomcat_uptime_seconds", "gauge", "Seconds since the JVM started.");
    Family busy = new Family("tomcat_threads_busy", "gauge", "Busy request threads per connector.");
    Family cur = new Family("tomcat_threads_current", "gauge", "Request threads per connector.");
    Family max = new Family("tomcat_threads_max", "gauge", "maxThreads per connector.");
    Family req = new Family("tomcat_requests_total", "counter", "Requests processed per connector.");
    Family err = new Family("tomcat_request_errors_total", "counter", "Requests that failed (status >= 400) per connector.");
    Family sent = new Family("tomcat_sent_bytes_total", "counter", "Bytes sent per connector.");
    Family proc = new Family("tomcat_request_processing_seconds_total", "counter", "Time spent processing requests per connector.");
    Family act = new Family("tomcat_sessions_active", "gauge", "Active sessions per context.");
    Family made = new Family("tomcat_sessions_created_total", "counter", "Sessions created per context.");
    Family heap = new Family("tomcat_jvm_heap_used_bytes", "gauge", "JVM heap in use.");
    Family heapMax = new Family("tomcat_jvm_heap_max_bytes", "gauge", "JVM maximum heap.");

    info.add("jvm_route", route(), 1);
    up.add(null, null, ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    for (ObjectName o : query(m, "Catalina:type=ThreadPool,name=*")) {
        String c = key(o, "name");
        busy.add("connector", c, num(m, o, "currentThreadsBusy"));
        cur.add("connector", c, num(m, o, "currentThreadCount"));
        max.add("connector", c, num(m, o, "maxThreads"));
    }
    for (ObjectName o : query(m, "Catalina:type=GlobalRequestProcessor,name=*")) {
        String c = key(o, "name");
        req.add("connector", c, num(m, o, "requestCount"));
        err.add("connector", c, num(m, o, "errorCount"));
        sent.add("connector", c, num(m, o, "bytesSent"));
        proc.add("connector", c, num(m, o, "processingTime") / 1000.0);
    }
    for (ObjectName o : query(m, "Catalina:type=Manager,host=*,context=*")) {
        String c = key(o, "context");
        act.add("context", c, num(m, o, "activeSessions"));
        made.add("context", c, num(m, o, "sessionCounter"));
    }
    MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    heap.add(null, null, h.getUsed());
    heapMax.add(null, null, h.getMax());

    StringBuilder b = new StringBuilder();
    for (Family f : new Family[] {info, up, busy, cur, max, req, err, sent, proc, act, made, heap, heapMax}) {
        f.writeTo(b);
    }
    out.print(b);
%>`
