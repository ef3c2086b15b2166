// What seeded accounts are made of: names from many languages (ASCII, as usernames allow),
// addresses on reserved example domains (RFC 2606, so no mail can reach a real person), browsers
// people really use, and client addresses that look like home and mobile connections.
import type { Rng } from "./seed-random";

export const FIRST_NAMES: readonly string[] = [
  "maria jose ana juan carlos lucia sofia mateo valentina diego james mary john patricia robert",
  "jennifer michael linda william elizabeth david barbara richard susan joseph jessica thomas sarah",
  "charles karen emma olivia noah liam ava isabella mia amelia harper evelyn lukas leon finn hannah",
  "lea lena jonas paul felix clara jean pierre camille chloe louis manon hugo ines jules zoe giulia",
  "francesco alessandro chiara lorenzo martina matteo sara andrea elena joao pedro beatriz rafael",
  "gabriel mariana tiago catarina rodrigo leonor anna piotr katarzyna tomasz agnieszka jan magdalena",
  "pawel ewa marek olga ivan dmitri natalia sergei irina alexei yulia mikhail tatiana mohammed fatima",
  "ahmed aisha omar layla yusuf mariam ali noor wei li jun mei hao xin yan lei ying chen hiroshi yuki",
  "haruto sakura ren aoi sota hina kenji emi minjun seoyeon jiho jiwoo hyun soo eunji dohyun yuna",
  "taeyang aarav priya arjun ananya vivaan diya rohan kavya ishaan meera oluwaseun chinedu amara kwame",
  "abena tendai zanele kofi nia sipho lars ingrid erik astrid nils sigrid mikko aino oskar freya daan",
  "sanne bram lotte sem fleur ayse mehmet elif emre",
]
  .join(" ")
  .split(" ");

export const LAST_NAMES: readonly string[] = [
  "garcia rodriguez martinez hernandez lopez gonzalez perez sanchez ramirez torres smith johnson",
  "williams brown jones miller davis wilson anderson taylor thomas moore jackson martin lee thompson",
  "white harris clark lewis mueller schmidt schneider fischer weber meyer wagner becker schulz",
  "hoffmann dubois lefebvre moreau laurent simon michel leroy roux fournier girard rossi russo ferrari",
  "esposito bianchi romano colombo ricci marino greco silva santos ferreira pereira oliveira costa",
  "rodrigues almeida nascimento carvalho nowak kowalski wisniewski wojcik kaminski lewandowski",
  "zielinski szymanski dabrowski kozlowski ivanov smirnov kuznetsov popov vasiliev petrov sokolov",
  "mikhailov novikov fedorov hassan hussein khalil haddad nasser mansour saleh rahman karim farouk",
  "wang zhang liu chen yang huang zhao wu zhou xu sato suzuki takahashi tanaka watanabe ito yamamoto",
  "nakamura kobayashi kato kim park choi jung kang cho yoon jang lim han sharma patel singh kumar",
  "gupta reddy iyer nair mehta joshi okafor adeyemi mensah owusu nkosi dlamini mwangi otieno diallo",
  "traore hansen johansson nielsen larsen andersen virtanen korhonen berg lindqvist dahl devries",
  "jansen bakker visser smit meijer yilmaz kaya demir sahin obrien murphy kelly walsh byrne ryan novak",
  "horvat kovac popescu",
]
  .join(" ")
  .split(" ");

/** Reserved domains (RFC 2606), weighted: most people share a few providers. */
export const EMAIL_DOMAINS = [
  "example.com",
  "example.com",
  "example.com",
  "example.com",
  "example.org",
  "example.org",
  "example.net",
  "mail.example.com",
  "corp.example.org",
  "students.example.edu",
] as const;

export const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 Edg/129.0.0.0",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:131.0) Gecko/20100101 Firefox/131.0",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.6668.100 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Android 14; Mobile; rv:132.0) Gecko/132.0 Firefox/132.0",
] as const;

/** What password-guessing tools send. */
export const ATTACKER_USER_AGENTS = [
  "python-requests/2.32.3",
  "curl/8.5.0",
  "Go-http-client/1.1",
  "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.51 Safari/537.36",
] as const;

// First octets of ranges that home and mobile providers announce (no private, reserved or
// documentation ranges).
const IPV4_FIRST = [
  24, 31, 37, 46, 47, 50, 62, 67, 68, 71, 73, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 98, 109, 151, 174,
  176, 178, 185, 188, 193, 195, 212, 213, 217,
];
const IPV6_PREFIXES = ["2a02", "2a01", "2003", "2600", "2601", "2604", "2a00", "2409", "2405", "2c0f"];

export function randomAddress(rng: Rng): string {
  if (rng.chance(0.15)) {
    const h = () => rng.int(0x10000).toString(16);
    return `${rng.pick(IPV6_PREFIXES)}:${h()}:${h()}:${h()}::${h()}`;
  }
  return `${rng.pick(IPV4_FIRST)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

/** A lowercase username in the allowed alphabet (a-z 0-9 _ . -), at most 32 characters. */
export function usernameFor(rng: Rng, first: string, last: string): string {
  const r = rng.next();
  const year = String(1960 + rng.int(46));
  const n = String(1 + rng.int(99));
  const name =
    r < 0.32
      ? `${first}.${last}`
      : r < 0.52
        ? `${first}.${last}${n}`
        : r < 0.62
          ? `${first}${last}`
          : r < 0.71
            ? `${first[0]}${last}`
            : r < 0.78
              ? `${first}_${last}`
              : r < 0.85
                ? `${first}${year}`
                : r < 0.9
                  ? `${last}.${first}`
                  : r < 0.95
                    ? `${first}-${last}`
                    : `${first[0]}${last}${n}`;
  return name.slice(0, 32);
}
