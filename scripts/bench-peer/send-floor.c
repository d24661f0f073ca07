// The floor under server CPU per delivery on this machine: one thread writing a 100-byte frame to each of 31
// loopback TCP sockets (TCP_NODELAY), which a child process drains through epoll, as a fan-out to 31 recipients.
// "paced": 640 fan-outs a second, sleeping between them (design-32's shape: the thread wakes for every message).
// "burst": back to back. "nagle": paced without TCP_NODELAY, as InspIRCd runs (the kernel holds small segments
// while one is unacknowledged, so fewer segments go through loopback, at up to a delayed ACK of latency).
// "linger N": design-32's 640 messages a second, each recipient's frames held for N ms and sent together (one send
// per recipient per N ms): the best any server can do with coalescing whose added latency stays within N ms.
// Prints the sender thread's CPU (user+sys, getrusage RUSAGE_THREAD) per delivery (per send, except with linger).
// Build and run: make send-floor. Loopback only; bounded in count.
#define _GNU_SOURCE
#include <arpa/inet.h>
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

enum { Recipients = 31, Frame = 100 };

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static double thread_cpu(void)
{
    struct rusage u;
    getrusage(RUSAGE_THREAD, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
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

static void run(const char *mode, int fanouts, double rate, int nodelay, int linger_ms)
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
        for (int i = 0; i < Recipients; i++)
            if (send(out[i], frame, Frame, 0) != Frame) { perror("send"); exit(1); }
    }
    double cpu = thread_cpu() - cpu0, wall = now() - t0;
    for (int i = 0; i < Recipients; i++) close(out[i]);
    close(listener);
    waitpid(child, NULL, 0);
    long sends = (long)fanouts * Recipients;
    printf("%-8s %8ld deliveries in %6.2f s: %.3f us of sender CPU per delivery\n", mode, sends, wall, cpu * 1e6 / sends);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    int seconds = argc > 1 ? atoi(argv[1]) : 5;
    run("paced", 640 * seconds, 640, 1, 0);
    run("nagle", 640 * seconds, 640, 0, 0);
    run("linger2", 640 * seconds, 640, 1, 2);
    run("linger3", 640 * seconds, 640, 1, 3);
    run("linger5", 640 * seconds, 640, 1, 5);
    run("burst", 640 * seconds * 10, 0, 1, 0);
    return 0;
}
