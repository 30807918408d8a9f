// Runs a fuzz target without libFuzzer, so that a g++ build exercises it too:
// every file of the corpus directories (or single files) once, then -runs=N inputs
// made by mutating them at random. A broken invariant aborts after saving the
// input as crash-<hash> in the working directory (replay it: target crash-<hash>).
//
//   fuzz_target [-runs=N] [-seed=S] [-max_len=N] CORPUS_DIR_OR_FILE...

#include "fuzzinput.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

Bytes g_current;

void saveCurrent()
{
    uint64_t hash = 1469598103934665603ull;   // FNV-1a, for a stable file name
    for (const uint8_t byte : g_current)
        hash = (hash ^ byte) * 1099511628211ull;
    char name[64];
    std::snprintf(name, sizeof name, "crash-%016llx", static_cast<unsigned long long>(hash));
    std::ofstream(name, std::ios::binary).write(reinterpret_cast<const char *>(g_current.data()),
                                                 std::streamsize(g_current.size()));
    std::fprintf(stderr, "input saved as %s (%zu bytes)\n", name, g_current.size());
}

void run(const Bytes &input)
{
    g_current = input;
    LLVMFuzzerTestOneInput(g_current.data(), g_current.size());
}

bool readFile(const std::filesystem::path &path, Bytes *into)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return false;
    into->assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    return true;
}

// Pieces of HTTP and JSON that random bit flips take long to find.
const std::string_view Tokens[] = {
    "\r\n", "\r\n\r\n", "\r", "\n", " ", "\t", ":", ";", ",", "=", "\"", "\\", "0", "1", "9", "f", "F",
    "GET", "POST", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "Host: a\r\n", "Host", "Content-Length", "Content-Length: ",
    "Transfer-Encoding", "Transfer-Encoding: chunked\r\n", "chunked", "gzip, chunked", "Connection: close\r\n",
    "Connection: keep-alive\r\n", "Expect: 100-continue\r\n", "100-continue", "0\r\n\r\n", "1\r\nx\r\n",
    "ffffffffffffffff", "18446744073709551616", "9223372036854775807", "33554433", "10000000000000000",
    ";ext=\"v\"", "\x00", "\x7f", "\xff",
    "{", "}", "[", "]", "\":", "\\u00e9", "\\ud83d", "\\ude00", "true", "false", "null", "-0", "1.5e-3", "e+308",
    "4.9e-324", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\x80",
};

class Mutator
{
public:
    explicit Mutator(uint64_t seed)
        : m_random(seed)
    {
    }

    Bytes mutate(const std::vector<Bytes> &corpus, size_t maxLength)
    {
        Bytes input = corpus[below(corpus.size())];
        const size_t steps = 1 + below(5);
        for (size_t i = 0; i < steps; ++i)
            step(input, corpus);
        if (input.size() > maxLength)
            input.resize(maxLength);
        return input;
    }

private:
    size_t below(size_t n) { return n == 0 ? 0 : size_t(m_random() % n); }

    void step(Bytes &input, const std::vector<Bytes> &corpus)
    {
        const size_t at = below(input.size() + 1);
        switch (below(9)) {
        case 0:   // flip a bit
            if (!input.empty())
                input[below(input.size())] ^= uint8_t(1u << below(8));
            break;
        case 1:   // any byte
            if (!input.empty())
                input[below(input.size())] = uint8_t(below(256));
            break;
        case 2:   // insert a byte
            input.insert(input.begin() + ptrdiff_t(at), uint8_t(below(256)));
            break;
        case 3: {   // erase a range
            const size_t length = std::min(input.size() - std::min(at, input.size()), 1 + below(16));
            input.erase(input.begin() + ptrdiff_t(at), input.begin() + ptrdiff_t(at + length));
            break;
        }
        case 4: {   // insert a token
            const std::string_view token = Tokens[below(std::size(Tokens))];
            input.insert(input.begin() + ptrdiff_t(at), token.begin(), token.end());
            break;
        }
        case 5: {   // repeat a range (many headers, many chunks)
            if (input.empty())
                break;
            const size_t from = below(input.size());
            const size_t length = 1 + below(std::min<size_t>(64, input.size() - from));
            const Bytes range(input.begin() + ptrdiff_t(from), input.begin() + ptrdiff_t(from + length));
            const size_t times = 1 + below(32);
            for (size_t i = 0; i < times; ++i)
                input.insert(input.begin() + ptrdiff_t(from), range.begin(), range.end());
            break;
        }
        case 6: {   // splice in a part of another input (pipelining, mixed requests)
            const Bytes &other = corpus[below(corpus.size())];
            if (other.size() < 2)
                break;
            const size_t from = 1 + below(other.size() - 1);
            const size_t length = 1 + below(other.size() - from);
            input.insert(input.begin() + ptrdiff_t(at), other.begin() + ptrdiff_t(from),
                         other.begin() + ptrdiff_t(from + length));
            break;
        }
        case 7:   // a new control byte: other limits, other pieces
            if (!input.empty())
                input[0] = uint8_t(below(256));
            break;
        case 8:   // cut the end off
            input.resize(at);
            break;
        }
    }

    std::mt19937_64 m_random;
};

bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

} // namespace

int main(int argc, char **argv)
{
    long long runs = 20000;
    uint64_t seed = 1;
    size_t maxLength = 8192;
    std::vector<std::filesystem::path> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (startsWith(arg, "-runs="))
            runs = std::atoll(argv[i] + 6);
        else if (startsWith(arg, "-seed="))
            seed = std::strtoull(argv[i] + 6, nullptr, 10);
        else if (startsWith(arg, "-max_len="))
            maxLength = size_t(std::atoll(argv[i] + 9));
        else if (startsWith(arg, "-"))
            std::fprintf(stderr, "ignoring %s (a libFuzzer flag?)\n", argv[i]);
        else
            paths.emplace_back(arg);
    }

    std::vector<Bytes> corpus;
    for (const std::filesystem::path &path : paths) {
        std::error_code error;
        if (std::filesystem::is_directory(path, error)) {
            std::vector<std::filesystem::path> files;
            for (const auto &entry : std::filesystem::directory_iterator(path))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto &file : files) {
                Bytes bytes;
                if (readFile(file, &bytes))
                    corpus.push_back(std::move(bytes));
            }
        } else {
            Bytes bytes;
            if (!readFile(path, &bytes)) {
                std::fprintf(stderr, "cannot read %s\n", path.c_str());
                return 2;
            }
            corpus.push_back(std::move(bytes));
        }
    }
    if (corpus.empty()) {
        std::fprintf(stderr, "no inputs: give a corpus directory or files\n");
        return 2;
    }

    fuzz::onFailure = saveCurrent;
    const auto start = std::chrono::steady_clock::now();
    for (const Bytes &input : corpus)
        run(input);
    Mutator mutator(seed);
    for (long long i = 0; i < runs; ++i)
        run(mutator.mutate(corpus, maxLength));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const long long executions = (long long)corpus.size() + runs;
    std::printf("%lld executions (%zu corpus inputs + %lld mutations, seed %llu) in %.1f s, %.0f exec/s, no invariant broken\n",
                executions, corpus.size(), runs, static_cast<unsigned long long>(seed), seconds,
                seconds > 0 ? executions / seconds : 0.0);
    return 0;
}
