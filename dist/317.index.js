export const id = 317;
export const ids = [317];
export const modules = {

/***/ 16317:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(61351);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(49735);


/**
 * Creates the authenticated client with retries of server errors (4xx are not retried: they will not
 * change). Throws only when `token` is empty.
 */
function createGitHubClient(options) {
    const baseUrl = (options.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(options.token, {
        baseUrl,
        userAgent: 'mlops-actions',
        retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryDelayMs ?? 1000 },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_1__/* .retry */ .L);
}


/***/ })

};

//# sourceMappingURL=317.index.js.map