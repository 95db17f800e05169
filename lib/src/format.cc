#include "tracekit/format.h"

namespace tracekit {

std::string_view family_name(Family f) {
  switch (f) {
    case Family::dhcp:
      return "dhcp";
    case Family::nat:
      return "nat";
    case Family::login:
      return "login";
    case Family::proxy:
      return "proxy";
    case Family::smtp:
      return "smtp";
    case Family::owner:
      return "owner";
  }
  return "?";
}

std::string_view dhcp_action_name(DhcpAction a) {
  switch (a) {
    case DhcpAction::discover:
      return "discover";
    case DhcpAction::offer:
      return "offer";
    case DhcpAction::request:
      return "request";
    case DhcpAction::ack:
      return "ack";
    case DhcpAction::nak:
      return "nak";
    case DhcpAction::release:
      return "release";
    case DhcpAction::decline:
      return "decline";
    case DhcpAction::inform:
      return "inform";
    case DhcpAction::expire:
      return "expire";
    case DhcpAction::remove:
      return "remove";
    case DhcpAction::lease:
      return "lease";
  }
  return "?";
}

std::string_view nat_action_name(NatAction a) {
  switch (a) {
    case NatAction::open:
      return "open";
    case NatAction::close:
      return "close";
    case NatAction::session:
      return "session";
    case NatAction::block_open:
      return "block-open";
    case NatAction::block_close:
      return "block-close";
  }
  return "?";
}

std::string_view mail_action_name(MailAction a) {
  switch (a) {
    case MailAction::connect:
      return "connect";
    case MailAction::received:
      return "received";
    case MailAction::header:
      return "header";
    case MailAction::sender:
      return "sender";
    case MailAction::delivery:
      return "delivery";
    case MailAction::completed:
      return "completed";
    case MailAction::rejected:
      return "rejected";
    case MailAction::auth_failed:
      return "auth-failed";
    case MailAction::disconnect:
      return "disconnect";
  }
  return "?";
}

std::string_view login_action_name(LoginAction a) {
  switch (a) {
    case LoginAction::login:
      return "login";
    case LoginAction::logout:
      return "logout";
    case LoginAction::failed:
      return "failed";
    case LoginAction::interim:
      return "interim";
    case LoginAction::session:
      return "session";
    case LoginAction::boot:
      return "boot";
    case LoginAction::shutdown:
      return "shutdown";
  }
  return "?";
}

std::string_view lease_end_kind_name(Lease::EndKind k) {
  switch (k) {
    case Lease::EndKind::stated:
      return "expiry stated by the source";
    case Lease::EndKind::released:
      return "released by the client";
    case Lease::EndKind::expired:
      return "expired";
    case Lease::EndKind::reassigned:
      return "address granted to another client";
    case Lease::EndKind::declined:
      return "declined by the client";
    case Lease::EndKind::nak:
      return "refused by the server (NAK)";
    case Lease::EndKind::removed:
      return "deleted";
    case Lease::EndKind::assumed:
      return "assumed";
    case Lease::EndKind::open:
      return "open";
  }
  return "?";
}

const FormatInfo* find_format(std::string_view name) {
  for (const auto& f : format_table())
    if (f.name == name) return &f;
  return nullptr;
}

SniffResult sniff_format(std::string_view head, const Family* family) {
  SniffResult r;
  for (const auto& f : format_table()) {
    if (family && f.family != *family) continue;
    const char* why = "";
    int score = f.sniff(head, &why);
    if (score > r.score) {
      r.runner_up = r.format;
      r.runner_up_score = r.score;
      r.format = &f;
      r.score = score;
      r.why = why;
    } else if (score > r.runner_up_score) {
      r.runner_up = &f;
      r.runner_up_score = score;
    }
  }
  if (r.score == 0) r.format = nullptr;
  return r;
}

}  // namespace tracekit
