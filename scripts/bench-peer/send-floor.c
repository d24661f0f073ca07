// The floor under server CPU per delivery on this machine: one thread writing a 100-byte frame to each of 31
// loopback TCP sockets (TCP_NODELAY), which a child process drains through epoll, as a fan-out to 31 recipients.
// "paced": 640 fan-outs a second, sleeping between them (design-32's shape: the thread wakes for every message).
// "burst": back to back. "nagle": paced without TCP_NODELAY, as InspIRCd runs (the kernel holds small segments
// while one is unacknowledged, so fewer segments go through loopback, at up to a delayed ACK of latency).
// "linger N": design-32's 640 messages a second, each recipient's frames held for N ms and sent together (one send
// per recipient per N ms): the best any server can do with coalescing whose added latency stays within N ms.
// "uring" and "uburst": as paced and burst, but each fan-out's 31 sends go to the kernel in one io_uring submission,
// flagged MSG_DONTWAIT, as lantalk-server's SendBatch does (core/Transport/SendBatch.cs): one return to user space,
// where the kernel may switch to a woken reader, per fan-out instead of per send.
// Prints the sender thread's CPU (user+sys, getrusage RUSAGE_THREAD) per delivery (per send, except with linger).
// Build and run: make send-floor. Loopback only; bounded in count.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>

enum { Recipients = 31, Frame = 100 };

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static double thread_cpu(void)
{
    struct rusage u;
    getrusage(RUSAGE_THREAD, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static long switches(void)
{
    struct rusage u;
    getrusage(RUSAGE_THREAD, &u);
    return u.ru_nvcsw + u.ru_nivcsw;
}

// The smallest io_uring that submits a batch of sends and reaps them; no liburing, as in the server.
static struct { int fd; unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask; struct io_uring_sqe *sqes; struct io_uring_cqe *cqes; } ring;

static int ring_setup(void)
{
    struct io_uring_params p = { .flags = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN };
    ring.fd = (int)syscall(__NR_io_uring_setup, 64, &p);
    if (ring.fd < 0 || !(p.features & IORING_FEAT_SINGLE_MMAP)) return -1;
    size_t len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cqlen = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    if (cqlen > len) len = cqlen;
    char *r = mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring.fd, IORING_OFF_SQ_RING);
    ring.sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring.fd, IORING_OFF_SQES);
    if (r == MAP_FAILED || ring.sqes == MAP_FAILED) return -1;
    ring.sq_tail = (unsigned *)(r + p.sq_off.tail); ring.sq_mask = (unsigned *)(r + p.sq_off.ring_mask);
    ring.sq_array = (unsigned *)(r + p.sq_off.array);
    ring.cq_head = (unsigned *)(r + p.cq_off.head); ring.cq_tail = (unsigned *)(r + p.cq_off.tail);
    ring.cq_mask = (unsigned *)(r + p.cq_off.ring_mask); ring.cqes = (struct io_uring_cqe *)(r + p.cq_off.cqes);
    return 0;
}

static void send_all(int *fds, const char *data, int len)
{
    unsigned tail = *ring.sq_tail;
    for (int i = 0; i < Recipients; i++) {
        unsigned idx = (tail + i) & *ring.sq_mask;
        struct io_uring_sqe *e = &ring.sqes[idx];
        memset(e, 0, sizeof *e);
        e->opcode = IORING_OP_SEND; e->fd = fds[i]; e->addr = (unsigned long)data; e->len = len;
        e->msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL; e->user_data = i;
        ring.sq_array[idx] = idx;
    }
    __atomic_store_n(ring.sq_tail, tail + Recipients, __ATOMIC_RELEASE);
    if (syscall(__NR_io_uring_enter, ring.fd, Recipients, Recipients, IORING_ENTER_GETEVENTS, NULL, 0) != Recipients) { perror("io_uring_enter"); exit(1); }
    unsigned head = *ring.cq_head, end = __atomic_load_n(ring.cq_tail, __ATOMIC_ACQUIRE);
    for (; head != end; head++)
        if (ring.cqes[head & *ring.cq_mask].res != len) { fprintf(stderr, "send: %d\n", ring.cqes[head & *ring.cq_mask].res); exit(1); }
    __atomic_store_n(ring.cq_head, head, __ATOMIC_RELEASE);
}

static void drain(int *fds)
{
    int ep = epoll_create1(0);
    for (int i = 0; i < Recipients; i++) {
        struct epoll_event e = { .events = EPOLLIN, .data.fd = fds[i] };
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e);
    }
    char buf[65536];
    int open = Recipients;
    while (open > 0) {
        struct epoll_event ev[64];
        int n = epoll_wait(ep, ev, 64, 10000);
        if (n <= 0) break;
        for (int i = 0; i < n; i++)
            if (read(ev[i].data.fd, buf, sizeof buf) <= 0) { close(ev[i].data.fd); open--; }
    }
    _exit(0);
}

static void run(const char *mode, int fanouts, double rate, int nodelay, int linger_ms, int uring)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    bind(listener, (struct sockaddr *)&a, sizeof a);
    listen(listener, 64);
    getsockname(listener, (struct sockaddr *)&a, &len);
    int out[Recipients], in[Recipients], one = 1;
    for (int i = 0; i < Recipients; i++) {
        out[i] = socket(AF_INET, SOCK_STREAM, 0);
        connect(out[i], (struct sockaddr *)&a, sizeof a);
        in[i] = accept(listener, NULL, NULL);
        setsockopt(out[i], IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay);
        setsockopt(in[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    pid_t child = fork();
    if (child == 0) drain(in);
    for (int i = 0; i < Recipients; i++) close(in[i]);
    static char frame[Frame * 640];
    memset(frame, 'x', sizeof frame);
    double cpu0 = thread_cpu(), t0 = now();
    long csw0 = switches();
    if (linger_ms > 0) {
        // Each tick sends what arrived since the last one: rate * linger frames per recipient, in one send each.
        int ticks = (int)(fanouts / (rate * linger_ms / 1000.0));
        for (int t = 1; t <= ticks; t++) {
            double due = t0 + t * linger_ms / 1000.0, wait = due - now();
            if (wait > 0) { struct timespec s = { 0, (long)(wait * 1e9) }; nanosleep(&s, NULL); }
            long sent = (long)(rate * t * linger_ms / 1000.0) - (long)(rate * (t - 1) * linger_ms / 1000.0);
            for (int i = 0; i < Recipients; i++)
                if (sent > 0 && send(out[i], frame, sent * Frame, 0) != sent * Frame) { perror("send"); exit(1); }
        }
        fanouts = (int)(rate * ticks * linger_ms / 1000.0);
    }
    for (int f = 0; f < fanouts && linger_ms == 0; f++) {
        if (rate > 0) {
            double due = t0 + f / rate, wait = due - now();
            if (wait > 0) { struct timespec s = { 0, (long)(wait * 1e9) }; nanosleep(&s, NULL); }
        }
        if (uring) {
            send_all(out, frame, Frame);
            continue;
        }
        for (int i = 0; i < Recipients; i++)
            if (send(out[i], frame, Frame, 0) != Frame) { perror("send"); exit(1); }
    }
    double cpu = thread_cpu() - cpu0, wall = now() - t0;
    long csw = switches() - csw0;
    for (int i = 0; i < Recipients; i++) close(out[i]);
    close(listener);
    waitpid(child, NULL, 0);
    long sends = (long)fanouts * Recipients;
    printf("%-8s %8ld deliveries in %6.2f s: %.3f us of sender CPU per delivery, %.3f of its context switches\n", mode, sends, wall,
        cpu * 1e6 / sends, (double)csw / sends);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    int seconds = argc > 1 ? atoi(argv[1]) : 5;
    run("paced", 640 * seconds, 640, 1, 0, 0);
    run("nagle", 640 * seconds, 640, 0, 0, 0);
    run("linger2", 640 * seconds, 640, 1, 2, 0);
    run("linger3", 640 * seconds, 640, 1, 3, 0);
    run("linger5", 640 * seconds, 640, 1, 5, 0);
    run("burst", 640 * seconds * 10, 0, 1, 0, 0);
    if (ring_setup() == 0) {
        run("uring", 640 * seconds, 640, 1, 0, 1);
        run("uburst", 640 * seconds * 10, 0, 1, 0, 1);
    } else {
        printf("uring    (no io_uring here: %s)\n", strerror(errno));
    }
    return 0;
}
