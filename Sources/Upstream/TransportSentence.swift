import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A transport failure in people's words: what happened and to which host, instead of
/// the HTTP stack's error domain and number (`Error Domain=NSURLErrorDomain Code=-1003`).
enum TransportSentence {
    /// One sentence for `error`, naming the host it concerns when the error carries it.
    static func describe(_ error: URLError) -> String {
        let host = error.failingURL?.host ?? "the provider's host"
        switch error.code {
        case .cannotFindHost, .dnsLookupFailed: return "could not resolve \(host)"
        case .cannotConnectToHost: return "\(host) refused the connection or is not listening"
        case .notConnectedToInternet: return "this machine is not connected to the internet (reaching \(host))"
        case .networkConnectionLost: return "the connection to \(host) broke before the answer was complete"
        case .badServerResponse: return "\(host) sent an answer that is not HTTP"
        case .timedOut: return "\(host) did not answer in time"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return "the secure (TLS) connection to \(host) failed: its certificate or protocol was not accepted"
        case .badURL, .unsupportedURL: return "the URL for \(host) is not one that can be sent"
        case .httpTooManyRedirects, .redirectToNonExistentLocation: return "\(host) redirected too often"
        case .cannotParseResponse, .cannotDecodeRawData, .cannotDecodeContentData:
            return "the answer from \(host) could not be read"
        case .dataLengthExceedsMaximum: return "the answer from \(host) was too large"
        default:
            // An uncommon code: its number, for a search, and no Swift type or domain name.
            return "the request to \(host) failed (network error \(error.code.rawValue))"
        }
    }
}
