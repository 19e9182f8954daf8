#include "subscribe_faults.hpp"

#include "mde/sim/coinone_endpoint.hpp"

namespace mde::sim {

SubscribeFaults::Taken SubscribeFaults::take(std::string_view request,
                                             std::vector<std::string>& out) {
  if (refuse_ == 0 && ignore_ == 0) return Taken::no;
  simdjson::dom::element root;
  std::string_view type;
  if (parser_.parse(request.data(), request.size()).get(root) != simdjson::SUCCESS ||
      !root.is_object() || root["request_type"].get(type) != simdjson::SUCCESS ||
      type != "SUBSCRIBE") {
    return Taken::no;
  }
  if (refuse_ != 0) {
    --refuse_;
    const std::string_view message = code_ == 160010   ? "Invalid Request"
                                     : code_ == 160011 ? "Invalid Type"
                                                       : "Invalid Topic";
    out.push_back(coinone_error_frame(code_, message, field_));
    return Taken::refused;
  }
  --ignore_;
  return Taken::ignored;
}

}  // namespace mde::sim
