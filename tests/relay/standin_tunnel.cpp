// A stand-in for a tunnel program (ssh, cloudflared, ngrok) in the tests: it
// prints what a real one would, on standard output or standard error, and then
// stays up, ends, or floods, as its first argument says.
//
//   standin_tunnel up URL [PIDFILE]        some chatter, the URL, then stays up
//   standin_tunnel stderr URL [PIDFILE]    the same on standard error
//   standin_tunnel several URL1 URL2       two URLs on one line, then a third later; stays up
//   standin_tunnel silent [PIDFILE]        chatter without a URL; stays up
//   standin_tunnel die CODE                a complaint, then exits with CODE at once
//   standin_tunnel restart STATEFILE       run N prints https://run-N.tunnel.test; run 0 exits 3 after
//                                          printing it, later runs stay up
//   standin_tunnel flood URL               100,000 lines and a line of 1 MiB, then the URL; stays up
//   standin_tunnel group PIDFILE           starts a child of its own (its pid in PIDFILE), prints a URL, stays up

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

void writePid(const char *file, pid_t pid)
{
    std::ofstream(file) << pid << '\n';
}

[[noreturn]] void stayUp()
{
    for (;;)
        pause();
}

void say(FILE *to, const std::string &line)
{
    std::fputs((line + '\n').c_str(), to);
    std::fflush(to);
}

} // namespace

int main(int argc, char **argv)
{
    const std::string mode = argc > 1 ? argv[1] : "";
    if ((mode == "up" || mode == "stderr") && argc > 2) {
        FILE *to = mode == "up" ? stdout : stderr;
        if (argc > 3)
            writePid(argv[3], getpid());
        say(to, "Connecting to the relay...");
        say(to, "Read the docs at http://docs.tunnel.test/ (not https)");
        say(to, std::string("Your tunnel is ready: ") + argv[2]);
        stayUp();
    }
    if (mode == "several" && argc > 3) {
        say(stdout, std::string("forwarding ") + argv[2] + " and " + argv[3]);
        say(stdout, "also https://third.tunnel.test");
        stayUp();
    }
    if (mode == "silent") {
        if (argc > 2)
            writePid(argv[2], getpid());
        say(stdout, "starting, please wait");
        say(stdout, "still starting");
        stayUp();
    }
    if (mode == "die" && argc > 2) {
        say(stderr, "fatal: the relay refused the connection");
        return std::atoi(argv[2]);
    }
    if (mode == "restart" && argc > 2) {
        int run = 0;
        std::ifstream(argv[2]) >> run;
        std::ofstream(argv[2]) << run + 1 << '\n';
        say(stdout, "run " + std::to_string(run) + " at https://run-" + std::to_string(run) + ".tunnel.test");
        if (run == 0) {
            usleep(100 * 1000);
            say(stdout, "connection lost");
            return 3;
        }
        stayUp();
    }
    if (mode == "flood" && argc > 2) {
        for (int i = 0; i < 100000; ++i)
            std::printf("noise line %d of a tunnel that talks a lot\n", i);
        const std::string huge(1024 * 1024, 'x');
        std::fputs(huge.c_str(), stdout);
        std::fputs("\n", stdout);
        say(stdout, std::string("url: ") + argv[2]);
        stayUp();
    }
    if (mode == "group" && argc > 2) {
        const pid_t child = fork();
        if (child == 0)
            stayUp();
        writePid(argv[2], child);
        say(stdout, "https://group.tunnel.test");
        stayUp();
    }
    std::fprintf(stderr, "usage: standin_tunnel up|stderr|several|silent|die|restart|flood|group ...\n");
    return 64;
}
