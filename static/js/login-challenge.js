/*
 * The login form's proof of work (accounts/challenge.py says why and how).
 *
 * When many failed logins came from this address, the form carries a challenge: find the
 * counter below data-attempts whose PBKDF2-HMAC-SHA-256 (password: the counter in decimal,
 * salt: data-salt, data-iterations iterations, 32 bytes) is data-target in hex. This file
 * starts on it as the page loads, says so in the form's status line (role="status", read
 * out by screen readers), writes the counter into the hidden "login_proof" field, and
 * holds back a form sent before it is done until it is. crypto.subtle runs PBKDF2
 * natively; a few derivations run at once, so that a phone's cores share the work.
 * Nothing is fetched: the challenge is in the page. No inline script: the
 * Content-Security-Policy allows scripts from the portal's own origin only.
 */
(function () {
    "use strict";

    const box = document.querySelector("[data-login-challenge]");
    if (!box) {
        return;
    }
    const form = box.closest("form");
    const proofField = form.querySelector('input[name="login_proof"]');
    const status = box.querySelector('[role="status"]');
    const subtle = window.crypto && window.crypto.subtle;
    const encoder = new TextEncoder();
    const salt = encoder.encode(box.dataset.salt);
    const target = box.dataset.target;
    const attempts = parseInt(box.dataset.attempts, 10);
    const iterations = parseInt(box.dataset.iterations, 10);
    const parallel = Math.min(navigator.hardwareConcurrency || 2, 8);
    let sendWhenSolved = false;

    function hex(buffer) {
        return Array.from(new Uint8Array(buffer), function (byte) {
            return byte.toString(16).padStart(2, "0");
        }).join("");
    }

    function derive(counter) {
        return subtle
            .importKey("raw", encoder.encode(String(counter)), "PBKDF2", false, ["deriveBits"])
            .then(function (key) {
                return subtle.deriveBits(
                    { name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: iterations },
                    key,
                    256
                );
            })
            .then(hex);
    }

    async function solve() {
        for (let start = 0; start < attempts; start += parallel) {
            const batch = [];
            for (let counter = start; counter < Math.min(start + parallel, attempts); counter++) {
                batch.push(derive(counter));
            }
            const found = (await Promise.all(batch)).indexOf(target);
            if (found !== -1) {
                return start + found;
            }
        }
        throw new Error("no counter below data-attempts meets the target");
    }

    function send() {
        if (form.requestSubmit) {
            form.requestSubmit();
        } else {
            form.submit();
        }
    }

    form.addEventListener("submit", function (event) {
        if (!proofField.value) {
            // Sent before the work is done: send it as soon as it is.
            event.preventDefault();
            sendWhenSolved = true;
        }
    });

    if (!subtle) {
        // Only in a secure context (HTTPS, or localhost) and in recent browsers.
        status.textContent = box.dataset.unsupported;
        return;
    }
    status.textContent = box.dataset.working;
    solve().then(
        function (counter) {
            proofField.value = String(counter);
            status.textContent = box.dataset.done;
            if (sendWhenSolved) {
                send();
            }
        },
        function () {
            status.textContent = box.dataset.unsupported;
        }
    );
})();
